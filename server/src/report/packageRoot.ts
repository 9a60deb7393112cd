/**
 * Where the installed product lives, found from the running code's own location: `dist/cli.js`
 * in a package or .vsix, `out/server/...` when running compiled tests. The docs shipped beside
 * `dist/` and the version in `package.json` are read from there.
 */
import { dirname, join } from 'node:path';
import { readRegularFileSync } from '../workspace/regularFile';

const PACKAGE_NAME = 'zero-copy-advisor';
/** Ours is a few KB; a folder above could hold anything under that name. */
const MAX_MANIFEST_BYTES = 1_000_000;

let cached: { root: string; version: string } | null | undefined;

function locate(): { root: string; version: string } | null {
  let dir = __dirname;
  for (;;) {
    const read = readRegularFileSync(join(dir, 'package.json'), MAX_MANIFEST_BYTES);
    try {
      const manifest = 'bytes' in read ? (JSON.parse(read.bytes.toString('utf8')) as { name?: string; version?: string }) : undefined;
      if (manifest?.name === PACKAGE_NAME) return { root: dir, version: manifest.version ?? '0.0.0' };
    } catch {
      // not JSON: keep climbing
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The package's root folder, or undefined if the code runs outside its package. */
export function packageRoot(): string | undefined {
  if (cached === undefined) cached = locate();
  return cached?.root;
}

export function packageVersion(): string {
  if (cached === undefined) cached = locate();
  return cached?.version ?? '0.0.0';
}
