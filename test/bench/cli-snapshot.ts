/**
 * Copies dist/cli.js (and its source map, when it is the map of this very build) to the bench's
 * private copy, CLI_JS, and says what kind of build it is.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { CLI_JS, DIST_CLI_JS } from './paths';

export interface CliSnapshot {
  sha256: string;
  bytes: number;
  /** A production build (`scripts/build.mjs --production`): minified, no source map. */
  minified: boolean;
}

export function snapshotCli(): CliSnapshot {
  mkdirSync(dirname(CLI_JS), { recursive: true });
  const code = readFileSync(DIST_CLI_JS);
  copyFileSync(DIST_CLI_JS, CLI_JS);
  const hasMap = /\/\/# sourceMappingURL=cli\.js\.map\s*$/.test(code.subarray(-200).toString('utf8'));
  rmSync(CLI_JS + '.map', { force: true });
  if (hasMap && existsSync(DIST_CLI_JS + '.map')) copyFileSync(DIST_CLI_JS + '.map', CLI_JS + '.map');
  return { sha256: createHash('sha256').update(code).digest('hex').slice(0, 12), bytes: code.length, minified: !hasMap };
}
