// The other runtimes and toolchains .ci/setup-runtimes.sh installs (Windows Node under Wine,
// Linux Node 22 and 24; mingw-w64 and Zig to compile the addon for Windows and macOS), the built
// package exercised in those runtimes, and what each must do with it. Missing ones skip their tests
// outside CI and fail them in CI.
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

/** Windows Node 20 under Debian's Wine, in the prefix the setup booted. */
export function windowsNode(): Runtime | undefined {
  if (!fs.existsSync(wine) || !fs.existsSync(windowsNodeExe) || !fs.existsSync(path.join(wineEnv.WINEPREFIX, '.zc-win10'))) return undefined;
  return { command: [wine, windowsNodeExe], env: wineEnv };
}

/**
 * How binding.gyp builds the addon, for a compiler node-gyp does not drive: its sources (absolute),
 * its C++ flags, defines and include directories (node-addon-api's, and Node's N-API headers), and
 * the macOS deployment target of its xcode_settings.
 */
function addonBuild(): { sources: string[]; flags: string[]; macosTarget: string } {
  const packageDir = path.dirname(require.resolve('zerocopy/package.json'));
  const gyp = JSON.parse(fs.readFileSync(path.join(packageDir, 'binding.gyp'), 'utf8')) as {
    targets: { sources: string[]; defines: string[]; cflags_cc: string[]; xcode_settings: { MACOSX_DEPLOYMENT_TARGET: string } }[];
  };
  const [target] = gyp.targets;
  const addonApi = path.dirname(require.resolve('node-addon-api/package.json', { paths: [packageDir] }));
  const nodeHeaders = path.join(path.dirname(process.execPath), '..', 'include', 'node');
  return {
    sources: target.sources.map((source) => path.join(packageDir, source)),
    flags: [...target.cflags_cc, ...target.defines.map((define) => `-D${define}`), `-I${addonApi}`, `-I${nodeHeaders}`],
    macosTarget: target.xcode_settings.MACOSX_DEPLOYMENT_TARGET,
  };
}

const zig = path.join(dir, 'zig', 'zig');
/** Zig's cache of what it built for each target (libc++ among them), kept with the toolchain: the setup fills it. */
const zigEnv = { ZIG_GLOBAL_CACHE_DIR: path.join(dir, 'zig-cache') };

/** Whether the Zig toolchain (.ci/setup-runtimes.sh; it carries macOS's libc headers) is installed. */
export function zigInstalled(): boolean {
  return fs.existsSync(zig);
}

/**
 * The addon compiled for macOS on `arch` with Zig's clang against the macOS headers Zig carries,
 * with binding.gyp's sources, flags and deployment target (arm64 starts at macOS 11), warnings as
 * errors, and the N-API and libuv symbols left for node to provide at load time, as node-gyp
 * links on macOS. Compiled only: nothing here can load a Mach-O file. Returns the .node path.
 */
export function buildForMacos(outDir: string, arch: 'x86_64' | 'aarch64'): string {
  const addon = addonBuild();
  const output = path.join(outDir, `zerocopy-${arch}.node`);
  const target = `${arch}-macos.${arch === 'aarch64' ? '11.0' : addon.macosTarget}`;
  run(zig, ['c++', '-target', target, '-shared', '-undefined', 'dynamic_lookup', '-Werror', '-o', output, ...addon.flags, ...addon.sources], outDir, zigEnv);
  return output;
}

const mingw = { compiler: 'x86_64-w64-mingw32-g++-posix', gendef: 'gendef', dlltool: 'x86_64-w64-mingw32-dlltool' };

/** Whether Debian's mingw-w64 cross toolchain (.ci/setup-runtimes.sh) is installed. */
export function mingwInstalled(): boolean {
  return Object.values(mingw).every((tool) => spawnSync(tool, ['--help'], { stdio: 'ignore' }).error === undefined);
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(result.status, 0, `${command} ${args.join(' ')}\n${result.error ?? ''}${result.stderr}`);
}

/**
 * The addon compiled for win32-x64 with mingw-w64, as node-gyp would compile it on Windows: the
 * sources, defines and C++ flags of binding.gyp, node-addon-api's headers and Node's N-API headers,
 * linked against an import library of the N-API that Windows node.exe exports, and with libstdc++,
 * libgcc and winpthreads linked in, so that the DLL needs nothing but node.exe and Windows' own
 * DLLs. The posix thread model because node-addon-api uses std::mutex, which GCC 12's win32 model
 * lacks. Returns the path of the .node file written into `outDir`.
 */
export function buildForWindows(outDir: string): string {
  const addon = addonBuild();
  // An import library of node.exe's N-API exports only: the addon may link against nothing else.
  run(mingw.gendef, [windowsNodeExe], outDir);
  const napiExports = fs.readFileSync(path.join(outDir, 'node.def'), 'utf8').split('\n').filter((line) => /^(napi|node_api)_/.test(line));
  fs.writeFileSync(path.join(outDir, 'node-api.def'), ['LIBRARY "node.exe"', 'EXPORTS', ...napiExports].join('\n'));
  run(mingw.dlltool, ['-d', 'node-api.def', '-l', 'libnode-api.a'], outDir);
  const output = path.join(outDir, 'zerocopy.node');
  run(
    mingw.compiler,
    [
      '-shared', '-static', '-s', '-o', output,
      ...addon.flags,
      ...addon.sources,
      path.join(outDir, 'libnode-api.a'),
    ],
    outDir,
  );
  return output;
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
    empty: runtimePath(files[0].path),
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
