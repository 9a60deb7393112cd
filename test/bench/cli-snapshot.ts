/**
 * Copies dist/cli.js (and its source map, when it is the map of this very build) to the bench's
 * private copy, CLI_JS, and says what kind of build it is.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { CLI_JS, DIST_CLI_JS } from './paths';

export interface CliSnapshot {
  sha256: string;
  bytes: number;
  /** A production build (`scripts/build.mjs --production`): minified, no source map. */
  minified: boolean;
}

export function snapshotCli(): CliSnapshot {
  mkdirSync(dirname(CLI_JS), { recursive: true });
  // dist/cli.js is the front; it loads dist/core.js (the engine and the server) from beside it.
  const hash = createHash('sha256');
  let bytes = 0;
  let hasMap = false;
  for (const name of ['cli.js', 'core.js']) {
    const from = join(dirname(DIST_CLI_JS), name);
    const to = join(dirname(CLI_JS), name);
    const code = readFileSync(from);
    copyFileSync(from, to);
    hash.update(code);
    bytes += code.length;
    const linked = new RegExp(`//# sourceMappingURL=${name.replace('.', '\\.')}\\.map\\s*$`).test(code.subarray(-200).toString('utf8'));
    rmSync(to + '.map', { force: true });
    if (linked && existsSync(from + '.map')) copyFileSync(from + '.map', to + '.map');
    hasMap ||= linked;
  }
  return { sha256: hash.digest('hex').slice(0, 12), bytes, minified: !hasMap };
}
