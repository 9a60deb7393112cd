// Packages the VS Code extension as a .vsix (after `tsc -b && node scripts/build.mjs --production`).
//
//   node scripts/package-vsix.mjs [--target <vsce target>] [--out FILE]
//
// The bundles in dist/ leave `zerocopy` external (it holds a native addon), so this first stages
// the runtime where dist/cli.js resolves it at run time, dist/node_modules/zerocopy: its compiled
// JS, its package.json, the prebuilt addon(s) under prebuilds/, and its run-time dependencies.
// Then `vsce package --no-dependencies` (the bundles carry every other dependency) packs what
// .vscodeignore allows. Without --target the package is universal and carries every prebuild
// present in native/prebuilds; with one it carries only that platform's.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const MAX_VSIX_BYTES = 10 * 1024 * 1024;
// vsce targets -> prebuildify folder names (`<platform>-<arch>`; musl builds share linux-x64).
const PREBUILD_DIR = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'linux-armhf': 'linux-arm',
  'alpine-x64': 'linux-x64',
  'alpine-arm64': 'linux-arm64',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
};
// Dependencies of the runtime needed only to compile the addon (headers), not to load it.
const BUILD_ONLY_DEPENDENCIES = new Set(['node-addon-api']);

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const { values: options } = parseArgs({ options: { target: { type: 'string' }, out: { type: 'string' } } });
const target = options.target;
if (target !== undefined && !(target in PREBUILD_DIR)) {
  fail(`unknown --target ${target}; one of ${Object.keys(PREBUILD_DIR).join(', ')}`);
}
const nativeDir = join(root, 'native');
// A platform package without its addon would be worse than none: refuse before building anything.
if (target !== undefined && !existsSync(join(nativeDir, 'prebuilds', PREBUILD_DIR[target]))) {
  fail(`no prebuilt addon for ${target} in native/prebuilds/${PREBUILD_DIR[target]}: build it there with prebuildify first`);
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = options.out ?? join(root, `${manifest.name}-${target ? `${target}-` : ''}${manifest.version}.vsix`);

for (const bundle of ['dist/client.js', 'dist/cli.js', 'dist/core.js', 'dist/bench-serve.js', 'dist/bench-load.js', 'dist/benchmark-view.js']) {
  if (!existsSync(join(root, bundle))) fail(`${bundle} is missing: run \`tsc -b && node scripts/build.mjs --production\` first`);
  // A development build (`npm run build`, which links source maps) must not be shipped: it is
  // several times larger and points at maps the package does not carry.
  if (/\/\/# sourceMappingURL=\S+\s*$/.test(readFileSync(join(root, bundle), 'utf8').slice(-300))) {
    fail(`${bundle} is a development build; run \`node scripts/build.mjs --production\` (or \`npm run package\`) first`);
  }
}

const stageModules = join(root, 'dist', 'node_modules');
rmSync(stageModules, { recursive: true, force: true });
const stagedHere = stageRuntime(join(stageModules, 'zerocopy'));
checkRuntimeLoads(join(stageModules, 'zerocopy'), stagedHere);

rmSync(out, { force: true });
const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
const args = [vsce, 'package', '--no-dependencies', '--out', out, ...(target ? ['--target', target] : [])];
const packed = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (packed.status !== 0) fail(`vsce package failed (exit ${packed.status})`);

const size = statSync(out).size;
console.log(`package-vsix: ${relative(process.cwd(), out)} ${(size / 1024 / 1024).toFixed(2)} MB`);
if (size >= MAX_VSIX_BYTES) fail(`the .vsix is ${size} bytes; it must stay under ${MAX_VSIX_BYTES}`);

function stageRuntime(dest) {
  const pkg = JSON.parse(readFileSync(join(nativeDir, 'package.json'), 'utf8'));
  // No scripts: nothing is installed or built inside an extension, the prebuild is the build.
  const { scripts: _scripts, devDependencies: _dev, ...shipped } = pkg;
  mkdirSync(dest, { recursive: true });
  writeFileSync(join(dest, 'package.json'), JSON.stringify(shipped, null, 2) + '\n');
  copyFiles(join(nativeDir, 'dist'), join(dest, 'dist'), (f) => f.endsWith('.js'));
  for (const file of ['LICENSE']) {
    if (existsSync(join(nativeDir, file))) cpSync(join(nativeDir, file), join(dest, file));
  }

  const prebuilds = join(nativeDir, 'prebuilds');
  const available = existsSync(prebuilds) ? readdirSync(prebuilds) : [];
  const wanted = target ? [PREBUILD_DIR[target]] : available;
  for (const dir of wanted) {
    if (!available.includes(dir)) fail(`no prebuilt addon for ${target} in native/prebuilds/${dir}: build it there with prebuildify first`);
    copyFiles(join(prebuilds, dir), join(dest, 'prebuilds', dir), (f) => f.endsWith('.node'));
  }
  const here = `${process.platform}-${process.arch}`;
  if (!available.includes(here)) {
    console.warn(`package-vsix: warning: native/prebuilds/${here} is missing; the runtime will use its JS fallback on this platform`);
  }
  console.log(`package-vsix: staged zerocopy ${pkg.version} with prebuilds [${wanted.join(', ')}]`);

  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    if (!BUILD_ONLY_DEPENDENCIES.has(dep)) stagePackage(dep, nativeDir, stageModules);
  }
  // Whether this machine's own prebuild went in (then it must load).
  return wanted.includes(here);
}

/** Copies a run-time dependency (and its own dependencies) flat into dist/node_modules. */
function stagePackage(name, fromDir, intoModules) {
  const dest = join(intoModules, name);
  if (existsSync(dest)) return;
  const pkgJson = createRequire(join(fromDir, 'package.json')).resolve(`${name}/package.json`);
  const srcDir = dirname(pkgJson);
  copyFiles(srcDir, dest, (f) => /\.(c?js|json|node)$/.test(f) || /^LICEN[CS]E/i.test(f.split('/').pop()), ['node_modules', 'test', 'tests', '.github']);
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8'));
  for (const dep of Object.keys(pkg.dependencies ?? {})) stagePackage(dep, srcDir, intoModules);
}

function copyFiles(from, to, keep, skipDirs = []) {
  if (!existsSync(from)) fail(`${relative(root, from)} is missing: build the zerocopy runtime first (npx tsc -b native)`);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    if (entry.isDirectory()) {
      if (!skipDirs.includes(entry.name)) copyFiles(src, join(to, entry.name), keep, skipDirs);
    } else if (keep(relative(from, src))) {
      mkdirSync(to, { recursive: true });
      cpSync(src, join(to, entry.name));
    }
  }
}

/**
 * Loads the staged runtime in a fresh Node from another folder, as the server will from the
 * installed extension; where this machine's prebuild was staged, its addon must really load.
 */
function checkRuntimeLoads(dir, expectAddon) {
  const probe = `const m = require(${JSON.stringify(dir)}); console.log(JSON.stringify(m.available ?? null))`;
  const r = spawnSync(process.execPath, ['-e', probe], { cwd: '/', encoding: 'utf8' });
  if (r.status !== 0) fail(`the staged zerocopy runtime does not load:\n${r.stderr}`);
  const available = JSON.parse(r.stdout.trim() || 'null');
  if (expectAddon && available?.loaded !== true) fail(`the staged prebuilt addon does not load here: ${r.stdout.trim()}`);
  console.log(`package-vsix: staged runtime loads; addon ${available?.loaded ? `loaded from ${relative(root, available.path ?? '')}` : 'not loaded'}`);
}

function fail(message) {
  console.error(`package-vsix: ${message}`);
  process.exit(1);
}
