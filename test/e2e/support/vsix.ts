/**
 * The .vsix files the suites install or unpack: the ones `npm run package` builds (the universal
 * package and one per VS Code target), rebuilt first when the one asked for is missing or older
 * than what goes into it, so a test never uses a stale package.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

/** The VS Code targets `npm run package` builds a package for (each with its own prebuilt addon). */
export const VSIX_TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'] as const;
export type VsixTarget = (typeof VSIX_TARGETS)[number];

/** Where `npm run package` leaves the universal package, or `target`'s. */
export function vsixPath(target?: VsixTarget): string {
  const { name, version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return join(REPO_ROOT, `${name}-${target ? `${target}-` : ''}${version}.vsix`);
}

/** Unpacks a .vsix into `into`; returns its extension folder. */
export function unpackVsix(vsix: string, into: string): string {
  const r = spawnSync('unzip', ['-q', '-o', vsix, '-d', into], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`unzip ${vsix} failed (is unzip installed? the setup scripts install it): ${r.error ?? r.stderr}`);
  return join(into, 'extension');
}

/** What goes into the package: a change to any of these makes it stale. */
const INPUTS = [
  'client/src',
  'client/webview',
  'server/src',
  'native/lib',
  'native/package.json',
  'native/prebuilds',
  'native/src',
  'native/binding.gyp',
  'native/scripts',
  'docs/rules',
  'images/icon.png',
  'scripts/build.mjs',
  'scripts/package-vsix.mjs',
  'package.json',
  '.vscodeignore',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
];

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stat.mtimeMs);
}

/**
 * The universal package, or `target`'s, built by `npm run package` (every package at once) when it
 * is stale. ZC_E2E_VSIX names a universal package to test as it is (one built elsewhere, a release
 * candidate).
 */
export function ensureFreshVsix(target?: VsixTarget): string {
  if (process.env.ZC_E2E_VSIX && target === undefined) return process.env.ZC_E2E_VSIX;
  const vsix = vsixPath(target);
  const built = existsSync(vsix) ? statSync(vsix).mtimeMs : 0;
  const stale = INPUTS.some((input) => newestChange(join(REPO_ROOT, input)) > built);
  if (stale) {
    const r = spawnSync('npm', ['run', 'package'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run package failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    // Packaging left minified bundles in dist/; later suites (and people) expect `npm run build`'s,
    // with source maps.
    const dev = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (dev.status !== 0) throw new Error(`node scripts/build.mjs failed:\n${dev.stderr}`);
  }
  return vsix;
}
