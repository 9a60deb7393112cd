/**
 * The .vsix the suites install: the one `npm run package` builds, rebuilt first when it is
 * missing or older than what goes into it, so a test never installs a stale package.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

export function vsixPath(): string {
  const { name, version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return join(REPO_ROOT, `${name}-${version}.vsix`);
}

/** What goes into the package: a change to any of these makes it stale. */
const INPUTS = [
  'client/src',
  'client/webview',
  'server/src',
  'native/lib',
  'native/package.json',
  'native/prebuilds',
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

/** ZC_E2E_VSIX names a package to test as it is (one built elsewhere, a release candidate). */
export function ensureFreshVsix(): string {
  if (process.env.ZC_E2E_VSIX) return process.env.ZC_E2E_VSIX;
  const vsix = vsixPath();
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
