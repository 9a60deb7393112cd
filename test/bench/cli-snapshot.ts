/**
 * Copies dist/ (dist/cli.js, the bundles it loads, their source maps and the packages shipped
 * beside them) to the bench's private copy, so that a rebuild by someone else in the shared
 * checkout cannot change the CLI between rounds, and says what kind of build it is.
 */
import { cpSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CLI_SNAPSHOT_DIR, DIST_DIR } from './paths';

export interface CliSnapshot {
  /** sha256 (first 12 hex digits) over the JavaScript files, in name order. */
  sha256: string;
  /** Bytes of JavaScript (cli.js and what it loads). */
  bytes: number;
  files: string[];
  /** A production build (`scripts/build.mjs --production`): minified, no source maps. */
  minified: boolean;
}

export function snapshotCli(): CliSnapshot {
  rmSync(CLI_SNAPSHOT_DIR, { recursive: true, force: true });
  cpSync(DIST_DIR, CLI_SNAPSHOT_DIR, { recursive: true });
  const js = readdirSync(CLI_SNAPSHOT_DIR)
    .filter((f) => f.endsWith('.js') && f !== 'client.js')
    .sort();
  const hash = createHash('sha256');
  let bytes = 0;
  let minified = false;
  for (const f of js) {
    const code = readFileSync(join(CLI_SNAPSHOT_DIR, f));
    hash.update(code);
    bytes += statSync(join(CLI_SNAPSHOT_DIR, f)).size;
    if (!/\/\/# sourceMappingURL=\S+\.map\s*$/.test(code.subarray(-200).toString('utf8'))) minified = true;
  }
  return { sha256: hash.digest('hex').slice(0, 12), bytes, files: js, minified };
}
