// The other runtimes .ci/setup-runtimes.sh installs (Windows Node under Wine, Linux Node 22 and
// 24), and the built package exercised in them. Missing runtimes skip their tests outside CI and
// fail them in CI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExerciseReport, ExerciseSpec } from './children/exercise-package';
import { KiB, MiB, makeFile, runChild } from './helpers';

const dir = process.env.ZC_RUNTIMES_DIR ?? '/opt/zc-runtimes';
const wine = '/usr/lib/wine/wine64';
const wineEnv = { WINEPREFIX: path.join(dir, 'wineprefix'), WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };

export interface Runtime {
  /** The executable and the arguments before the script. */
  command: string[];
  env: NodeJS.ProcessEnv;
}

/** Why a test of this runtime is skipped: the runtime is missing and this is not CI. */
export function skipUnless(runtime: Runtime | undefined, what: string): string | false {
  return !runtime && !process.env.CI && `${what} is not installed (bash .ci/setup-runtimes.sh installs it into ${dir})`;
}

/** Windows Node 20 under Debian's Wine, in the prefix the setup booted. */
export function windowsNode(): Runtime | undefined {
  const node = path.join(dir, 'win-x64', 'bin', 'node.exe');
  if (!fs.existsSync(wine) || !fs.existsSync(node) || !fs.existsSync(path.join(wineEnv.WINEPREFIX, '.zc-win10'))) return undefined;
  return { command: [wine, node], env: wineEnv };
}

/** Stops the prefix's wineserver now instead of letting it linger for its few idle seconds. */
export function stopWine(): void {
  spawnSync(path.join(path.dirname(wine), 'wineserver'), ['--kill'], { env: { ...process.env, ...wineEnv }, stdio: 'ignore' });
}

/** A Linux build of Node `major` from the npm registry. */
export function linuxNode(major: 22 | 24): Runtime | undefined {
  const node = path.join(dir, `node${major}`, 'bin', 'node');
  return fs.existsSync(node) ? { command: [node, '--expose-gc'], env: {} } : undefined;
}

/** A path as Windows Node under Wine names it: Wine's drive Z: is the Linux root. */
export function windowsPath(linuxPath: string): string {
  return `Z:${linuxPath.replaceAll('/', '\\')}`;
}

export interface Exercised {
  /** What children/exercise-package.js reported (as JSON: undefined fields are absent). */
  report: ExerciseReport;
  /** The bytes each sendFile over loopback should have delivered, in order. */
  sent: Buffer[];
  /** The file mapFile was given. */
  mapped: Buffer;
  /** The bodies the http.Server should have answered /big and /small with. */
  served: Buffer[];
}

/** Runs children/exercise-package.js in `runtime` on fresh files in `dir` (named by `runtimePath` as that runtime names them). */
export async function exercisePackage(runtime: Runtime, dir: string, runtimePath: (linuxPath: string) => string = (p) => p): Promise<Exercised> {
  const files = [0, 1, 64 * KiB, MiB + 3].map((size) => makeFile(dir, size));
  const [, , map, big] = files;
  const small = makeFile(dir, 10 * KiB);
  const range = { start: 100, end: 700 * KiB + 9 };
  const spec: ExerciseSpec = {
    sends: [...files.map((f) => ({ file: runtimePath(f.path) })), ...[range, { start: 5 }].map((options) => ({ file: runtimePath(big.path), options }))],
    map: runtimePath(map.path),
    served: { big: runtimePath(big.path), small: runtimePath(small.path) },
    missing: runtimePath(path.join(dir, 'missing.bin')),
  };
  const specFile = path.join(dir, `spec-${crypto.randomUUID()}.json`);
  fs.writeFileSync(specFile, JSON.stringify(spec));
  const child = await runChild('exercise-package.js', [runtimePath(specFile)], runtime.env, 120_000, runtime.command);
  assert.equal(child.code, 0, child.stderr);
  return {
    report: JSON.parse(child.stdout) as ExerciseReport,
    sent: [...files.map((f) => f.content), big.content.subarray(range.start, range.end + 1), big.content.subarray(5)],
    mapped: map.content,
    served: [big.content, small.content],
  };
}
