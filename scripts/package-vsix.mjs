// Packages the VS Code extension as .vsix files (after `tsc -b && node scripts/build.mjs --production`).
//
//   node scripts/package-vsix.mjs                       one package per target below, and a universal one
//   node scripts/package-vsix.mjs --target <target>     that target's package only [--out FILE]
//   node scripts/package-vsix.mjs --universal           the universal package only [--out FILE]
//
// Targets: linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64 (`vsce --target`). Each
// target's package carries only its own prebuilt addon; the universal one carries all five, for
// where no target package fits or a .vsix is installed by hand (elsewhere — Alpine, armhf, Windows on
// arm64 — nothing matches and the runtime falls back, saying why in the extension's status).
// The prebuilds are built first where stale (native/scripts/prebuilds.mjs; the toolchains come from
// .ci/setup-runtimes.sh). The bundles in dist/ leave `zerocopy` external (it holds a native
// addon), so the runtime is staged where dist/cli.js resolves it at run time,
// dist/node_modules/zerocopy: its compiled JS, its package.json, the prebuilds, and its run-time
// dependencies. Then `vsce package --no-dependencies` (the bundles carry every other dependency)
// packs what .vscodeignore allows.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { buildPrebuild, TARGETS } from '../native/scripts/prebuilds.mjs';

const MAX_VSIX_BYTES = 10 * 1024 * 1024;
// VS Code's targets are node-gyp-build's `<platform>-<arch>` prebuild folders for these five.
const VSCODE_TARGETS = Object.keys(TARGETS);
// Dependencies of the runtime needed only to compile the addon (headers), not to load it.
const BUILD_ONLY_DEPENDENCIES = new Set(['node-addon-api']);

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const { values: options } = parseArgs({ options: { target: { type: 'string' }, universal: { type: 'boolean' }, out: { type: 'string' } } });
if (options.target !== undefined && !VSCODE_TARGETS.includes(options.target)) {
  fail(`no prebuilt addon for ${options.target}: the targets are ${VSCODE_TARGETS.join(', ')}; the universal package (--universal) serves every other platform, with the runtime's fallback`);
}
if (options.target !== undefined && options.universal) fail('--target and --universal exclude each other');
if (options.out !== undefined && options.target === undefined && !options.universal) fail('--out needs --target or --universal (one package)');
/** The packages to build: a target, or undefined for the universal one. */
const packages = options.target !== undefined ? [options.target] : options.universal ? [undefined] : [...VSCODE_TARGETS, undefined];
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nativeDir = join(root, 'native');
const here = `${process.platform}-${process.arch}`;

for (const bundle of ['dist/client.js', 'dist/cli.js', 'dist/core.js', 'dist/bench-serve.js', 'dist/bench-load.js', 'dist/benchmark-view.js']) {
  if (!existsSync(join(root, bundle))) fail(`${bundle} is missing: run \`tsc -b && node scripts/build.mjs --production\` first`);
  // A development build (`npm run build`, which links source maps) must not be shipped: it is
  // several times larger and points at maps the package does not carry.
  if (/\/\/# sourceMappingURL=\S+\s*$/.test(readFileSync(join(root, bundle), 'utf8').slice(-300))) {
    fail(`${bundle} is a development build; run \`node scripts/build.mjs --production\` (or \`npm run package\`) first`);
  }
}

// A package without its addon would be worse than none: every prebuild it needs, before packing anything.
const needed = packages.includes(undefined) ? VSCODE_TARGETS : packages;
const prebuilds = {};
for (const target of needed) {
  const started = Date.now();
  try {
    const { file, built } = buildPrebuild(target);
    prebuilds[target] = file;
    console.log(`package-vsix: prebuild ${target}: ${relative(root, file)}${built ? ` (built in ${((Date.now() - started) / 1000).toFixed(1)} s)` : ''}`);
  } catch (error) {
    fail(error.message);
  }
}

for (const target of packages) {
  const out = (packages.length === 1 && options.out) || join(root, `${manifest.name}-${target ? `${target}-` : ''}${manifest.version}.vsix`);
  packageFor(target, out);
}

/** Stages the runtime with `target`'s prebuild (every prebuild when undefined), then packs `out`. */
function packageFor(target, out) {
  const stageModules = join(root, 'dist', 'node_modules');
  rmSync(stageModules, { recursive: true, force: true });
  const wanted = target ? [target] : VSCODE_TARGETS;
  stageRuntime(join(stageModules, 'zerocopy'), stageModules, wanted);
  checkRuntimeLoads(join(stageModules, 'zerocopy'), wanted.includes(here));

  rmSync(out, { force: true });
  const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
  const args = [vsce, 'package', '--no-dependencies', '--out', out, ...(target ? ['--target', target] : [])];
  const packed = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (packed.status !== 0) fail(`vsce package failed (exit ${packed.status}):\n${packed.stdout}`);

  const size = statSync(out).size;
  console.log(`package-vsix: ${relative(process.cwd(), out)} ${(size / 1024 / 1024).toFixed(2)} MB (${target ?? 'universal'})`);
  if (size >= MAX_VSIX_BYTES) fail(`${out} is ${size} bytes; it must stay under ${MAX_VSIX_BYTES}`);
}

function stageRuntime(dest, stageModules, wanted) {
  const pkg = JSON.parse(readFileSync(join(nativeDir, 'package.json'), 'utf8'));
  // No scripts: nothing is installed or built inside an extension, the prebuild is the build.
  const { scripts: _scripts, devDependencies: _dev, ...shipped } = pkg;
  mkdirSync(dest, { recursive: true });
  writeFileSync(join(dest, 'package.json'), JSON.stringify(shipped, null, 2) + '\n');
  copyFiles(join(nativeDir, 'dist'), join(dest, 'dist'), (f) => f.endsWith('.js'));
  for (const file of ['LICENSE']) {
    if (existsSync(join(nativeDir, file))) cpSync(join(nativeDir, file), join(dest, file));
  }
  for (const target of wanted) {
    mkdirSync(join(dest, 'prebuilds', target), { recursive: true });
    cpSync(prebuilds[target], join(dest, 'prebuilds', target, TARGETS[target].file));
  }
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    if (!BUILD_ONLY_DEPENDENCIES.has(dep)) stagePackage(dep, nativeDir, stageModules);
  }
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
  console.log(`package-vsix: staged runtime loads here; addon ${available?.loaded ? `loaded from ${relative(root, available.path ?? '')}` : `not loaded (${available?.reason?.split('\n')[0]})`}`);
}

function fail(message) {
  console.error(`package-vsix: ${message}`);
  process.exit(1);
}
