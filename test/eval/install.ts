/**
 * Installs the pinned packages into a scratch folder (git-ignored), only when one is missing or at another version.
 * `--ignore-scripts`: their code is read, never run. `--no-package-lock`: no lockfile anywhere.
 * `--legacy-peer-deps`: peers (webpack…) are not needed to read a package's own files.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { EvalPackage } from './dataset';

export function packageDir(installRoot: string, p: EvalPackage): string {
  return join(installRoot, 'node_modules', p.installAs ?? p.name);
}

function installedVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

export function missingPackages(installRoot: string, packages: readonly EvalPackage[]): EvalPackage[] {
  return packages.filter((p) => installedVersion(packageDir(installRoot, p)) !== p.version);
}

/** Returns the packages that are still missing afterwards (empty when all is in place). */
export function ensureInstalled(installRoot: string, packages: readonly EvalPackage[], log: (line: string) => void): EvalPackage[] {
  const missing = missingPackages(installRoot, packages);
  if (missing.length === 0) return [];
  log(`installing ${missing.length} of ${packages.length} pinned packages into ${installRoot} …`);
  mkdirSync(installRoot, { recursive: true });
  // A manifest of its own, so the scratch folder is its own npm project and never touches the repository's.
  const dependencies: Record<string, string> = {};
  for (const p of packages) dependencies[p.installAs ?? p.name] = p.installAs ? `npm:${p.name}@${p.version}` : p.version;
  writeFileSync(join(installRoot, 'package.json'), JSON.stringify({ name: 'zerocopy-eval-scratch', private: true, dependencies }, null, 1) + '\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(
    npm,
    ['install', '--prefix', installRoot, '--ignore-scripts', '--no-package-lock', '--no-audit', '--no-fund', '--legacy-peer-deps', '--loglevel=error'],
    { cwd: installRoot, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`npm install exited with ${r.status}`);
  return missingPackages(installRoot, packages);
}

