// Builds the addon's prebuilds for every platform the extension and the npm package ship, on a
// Linux x64 machine, from binding.gyp's sources, defines and flags, into prebuilds/<platform>-<arch>/
// with prebuildify's names (what node-gyp-build matches):
//
//   linux-x64     zerocopy.glibc.node   prebuildify --napi --strip --tag-libc (node-gyp, g++), as `npm run build:addon`
//   linux-arm64   zerocopy.glibc.node   the same prebuildify/node-gyp build with Debian's aarch64-linux-gnu-g++
//   darwin-x64    zerocopy.node         Zig's clang against the macOS headers Zig carries (macOS 10.15+)
//   darwin-arm64  zerocopy.node         the same (macOS 11+)
//   win32-x64     zerocopy.node         Debian's mingw-w64 g++ (posix threads), linked against node.exe's N-API
//
//   node native/scripts/prebuilds.mjs [target…] [--force]     (default: every target)
//   node native/scripts/prebuilds.mjs --missing <target>      prints what that target's build lacks here
//
// A prebuild newer than every input (binding.gyp, src/, this script) is kept: a second run is quick.
// The toolchains are the ones .ci/setup-runtimes.sh installs (ZC_RUNTIMES_DIR, default
// /opt/zc-runtimes, holds Zig and Windows Node); a missing one fails with what to run.
// The tests (test/native/runtimes.ts) build through this file too: there is one way to build each.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
export const nativeDir = path.dirname(path.dirname(here));
const require = createRequire(path.join(nativeDir, 'package.json'));
const runtimesDir = process.env.ZC_RUNTIMES_DIR ?? '/opt/zc-runtimes';
const zig = path.join(runtimesDir, 'zig', 'zig');
/** Zig's cache of what it built per target (libc++ among them): the setup fills it once. */
const zigCache = path.join(runtimesDir, 'zig-cache');
const windowsNodeExe = path.join(runtimesDir, 'win-x64', 'bin', 'node.exe');
const aarch64 = { cc: 'aarch64-linux-gnu-gcc', cxx: 'aarch64-linux-gnu-g++', strip: 'aarch64-linux-gnu-strip' };
const mingw = { compiler: 'x86_64-w64-mingw32-g++-posix', gendef: 'gendef', dlltool: 'x86_64-w64-mingw32-dlltool' };

/** The targets: the prebuild folder (node-gyp-build's `<platform>-<arch>`) and file, and the toolchain they need. */
export const TARGETS = {
  'linux-x64': { file: 'zerocopy.glibc.node', tools: ['g++', 'make', 'python3'] },
  'linux-arm64': { file: 'zerocopy.glibc.node', tools: [aarch64.cxx, aarch64.strip, 'make', 'python3'] },
  'darwin-x64': { file: 'zerocopy.node', tools: [zig] },
  'darwin-arm64': { file: 'zerocopy.node', tools: [zig] },
  'win32-x64': { file: 'zerocopy.node', tools: [mingw.compiler, mingw.gendef, mingw.dlltool, windowsNodeExe] },
};

/** Where the prebuild for `target` goes (or went). */
export function prebuildPath(target) {
  return path.join(nativeDir, 'prebuilds', target, TARGETS[target].file);
}

function found(tool) {
  if (path.isAbsolute(tool)) return fs.existsSync(tool);
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' }).status === 0;
}

/** What `target` needs that is not installed here (empty: it can be built). */
export function missingTools(target) {
  const missing = TARGETS[target].tools.filter((tool) => !found(tool));
  // The cross builds run on Linux x64 (Debian's cross compilers; Zig and Node builds for that host).
  if (target !== 'linux-x64' && `${process.platform}-${process.arch}` !== 'linux-x64') missing.push('a Linux x64 machine');
  if (target === 'linux-x64' && `${process.platform}-${process.arch}` !== 'linux-x64') missing.push('a Linux x64 machine');
  return missing;
}

function newestInput() {
  const newest = (p) => {
    const stat = fs.statSync(p);
    return stat.isDirectory() ? Math.max(stat.mtimeMs, ...fs.readdirSync(p).map((n) => newest(path.join(p, n)))) : stat.mtimeMs;
  };
  return Math.max(newest(path.join(nativeDir, 'binding.gyp')), newest(path.join(nativeDir, 'src')), newest(here));
}

/** Whether the prebuild for `target` exists and is newer than what it is built from. */
export function isFresh(target) {
  const file = prebuildPath(target);
  return fs.existsSync(file) && fs.statSync(file).mtimeMs >= newestInput();
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options, env: { ...process.env, ...options.env } });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.error ?? `exit ${result.status}`})\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
  return result;
}

/**
 * Node's headers for node-gyp: npm passes its `nodedir` setting (/usr on the machines here); run
 * outside npm, the headers beside this Node are used, so that node-gyp never downloads any.
 */
function nodedirEnv() {
  if (process.env.npm_config_nodedir) return {};
  const dir = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h')) ? { npm_config_nodedir: dir } : {};
}

/** npm's own node-gyp, which prebuildify finds on the PATH only when npm runs it. */
function nodeGyp() {
  if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
  const bundled = path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  return fs.existsSync(bundled) ? bundled : 'node-gyp';
}

/** prebuildify (the flags of `npm run build:addon`), in `cwd`, with extra arguments and environment. */
function prebuildify(cwd, args, env = {}) {
  const bin = path.join(path.dirname(require.resolve('prebuildify/package.json')), 'bin.js');
  run(process.execPath, [bin, '--napi', '--strip', '--tag-libc', '--node-gyp', nodeGyp(), ...args], { cwd, env: { ...nodedirEnv(), ...env } });
}

/**
 * binding.gyp read for a compiler node-gyp does not drive: its sources (absolute), C++ flags,
 * defines and include directories (node-addon-api's, and Node's N-API headers), and the macOS
 * deployment target of its xcode_settings.
 */
function addonBuild() {
  const gyp = JSON.parse(fs.readFileSync(path.join(nativeDir, 'binding.gyp'), 'utf8'));
  const [target] = gyp.targets;
  const addonApi = path.dirname(require.resolve('node-addon-api/package.json'));
  const nodeHeaders = path.join(nodedirEnv().npm_config_nodedir ?? process.env.npm_config_nodedir ?? path.resolve(path.dirname(process.execPath), '..'), 'include', 'node');
  return {
    sources: target.sources.map((source) => path.join(nativeDir, source)),
    flags: [...target.cflags_cc, ...target.defines.map((define) => `-D${define}`), `-I${addonApi}`, `-I${nodeHeaders}`],
    macosTarget: target.xcode_settings.MACOSX_DEPLOYMENT_TARGET,
  };
}

/** linux-x64: exactly `npm run build:addon` (node-gyp's build/ in native/ is this machine's). */
function buildLinuxX64() {
  prebuildify(nativeDir, []);
}

/**
 * linux-arm64: the same prebuildify + node-gyp build as linux-x64, cross-compiled by Debian's
 * aarch64-linux-gnu toolchain, in a scratch copy of binding.gyp and src/ (node-gyp always builds
 * into ./build, which must keep this machine's own build).
 */
function buildLinuxArm64(scratch) {
  fs.copyFileSync(path.join(nativeDir, 'binding.gyp'), path.join(scratch, 'binding.gyp'));
  fs.cpSync(path.join(nativeDir, 'src'), path.join(scratch, 'src'), { recursive: true });
  const { name, version } = JSON.parse(fs.readFileSync(path.join(nativeDir, 'package.json'), 'utf8'));
  fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name, version }));
  // binding.gyp asks node for node-addon-api's include folder, from the package's own dependencies.
  fs.symlinkSync(path.dirname(path.dirname(require.resolve('node-addon-api/package.json'))), path.join(scratch, 'node_modules'));
  prebuildify(scratch, ['--arch', 'arm64', '--platform', 'linux', '--strip-bin', aarch64.strip, '--out', scratch], {
    CC: aarch64.cc,
    CXX: aarch64.cxx,
    LINK: aarch64.cxx,
    AR: 'aarch64-linux-gnu-ar',
  });
  return path.join(scratch, 'prebuilds', 'linux-arm64', TARGETS['linux-arm64'].file);
}

/**
 * macOS: Zig's clang against the macOS libc headers Zig carries, with binding.gyp's sources, flags
 * and deployment target (arm64 starts at macOS 11), warnings as errors, and the N-API and libuv
 * symbols left for node to provide at load time (`-undefined dynamic_lookup`, as node-gyp links on
 * macOS). Zig's linker signs arm64 output ad hoc, which Apple silicon requires before it loads code.
 * Zig links its libc++ in, built once per target, optimisation and strip setting (-s): the setup
 * warms its cache with the same three, else the first build here takes minutes.
 */
function buildMacos(scratch, arch) {
  const addon = addonBuild();
  const output = path.join(scratch, 'zerocopy.node');
  const target = `${arch}-macos.${arch === 'aarch64' ? '11.0' : addon.macosTarget}`;
  run(zig, ['c++', '-target', target, '-shared', '-undefined', 'dynamic_lookup', '-Werror', '-s', '-Wl,-install_name,@rpath/zerocopy.node', '-o', output, ...addon.flags, ...addon.sources], {
    cwd: scratch,
    env: { ZIG_GLOBAL_CACHE_DIR: zigCache },
  });
  return output;
}

/**
 * win32-x64 with mingw-w64, as node-gyp would compile it on Windows: binding.gyp's sources, defines
 * and flags, linked against an import library of the N-API that Windows node.exe exports (and
 * nothing else of it), with libstdc++, libgcc and winpthreads linked in, so that the DLL needs
 * nothing but node.exe and Windows' own DLLs. The posix thread model because node-addon-api uses
 * std::mutex, which GCC 12's win32 model lacks.
 */
function buildWindows(scratch) {
  const addon = addonBuild();
  run(mingw.gendef, [windowsNodeExe], { cwd: scratch });
  const napiExports = fs.readFileSync(path.join(scratch, 'node.def'), 'utf8').split('\n').filter((line) => /^(napi|node_api)_/.test(line));
  fs.writeFileSync(path.join(scratch, 'node-api.def'), ['LIBRARY "node.exe"', 'EXPORTS', ...napiExports].join('\n'));
  run(mingw.dlltool, ['-d', 'node-api.def', '-l', 'libnode-api.a'], { cwd: scratch });
  const output = path.join(scratch, 'zerocopy.node');
  run(mingw.compiler, ['-shared', '-static', '-s', '-o', output, ...addon.flags, ...addon.sources, path.join(scratch, 'libnode-api.a')], { cwd: scratch });
  return output;
}

/**
 * Builds the prebuild for `target` into prebuilds/ unless it is fresh (or `force`); returns its
 * path and whether it was built. Throws, naming what to install, when a toolchain is missing.
 */
export function buildPrebuild(target, { force = false } = {}) {
  if (!(target in TARGETS)) throw new Error(`unknown target ${target}; one of ${Object.keys(TARGETS).join(', ')}`);
  const file = prebuildPath(target);
  if (!force && isFresh(target)) return { file, built: false };
  const missing = missingTools(target);
  if (missing.length > 0) {
    throw new Error(`cannot build the ${target} prebuild: ${missing.join(', ')} not found (bash .ci/setup-runtimes.sh installs the toolchains)`);
  }
  if (target === 'linux-x64') {
    buildLinuxX64();
    return { file, built: true };
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `zerocopy-prebuild-${target}-`));
  try {
    const output =
      target === 'linux-arm64' ? buildLinuxArm64(scratch)
      : target === 'darwin-x64' ? buildMacos(scratch, 'x86_64')
      : target === 'darwin-arm64' ? buildMacos(scratch, 'aarch64')
      : buildWindows(scratch);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(output, file);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return { file, built: true };
}

if (process.argv[1] && path.resolve(process.argv[1]) === here) {
  const args = process.argv.slice(2);
  if (args[0] === '--missing') {
    console.log(JSON.stringify(missingTools(args[1])));
    process.exit(0);
  }
  const force = args.includes('--force');
  const targets = args.filter((a) => a !== '--force');
  for (const target of targets.length > 0 ? targets : Object.keys(TARGETS)) {
    const started = Date.now();
    try {
      const { file, built } = buildPrebuild(target, { force });
      const took = built ? `built in ${((Date.now() - started) / 1000).toFixed(1)} s` : 'up to date';
      console.log(`prebuilds: ${target}: ${path.relative(process.cwd(), file)} (${(fs.statSync(file).size / 1024).toFixed(0)} KiB, ${took})`);
    } catch (error) {
      console.error(`prebuilds: ${error.message}`);
      process.exit(1);
    }
  }
}
