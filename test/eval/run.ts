/**
 * `npm run eval`: precision and recall of the engine on real published npm packages, labelled by hand (see README.md
 * beside this file). A measurement, not a test: it prints the figures whatever they are and exits 0, unless the run
 * itself failed (dataset invalid, install failed).
 *
 * Usage: node out/test/eval/run.js [--only name[,name…]] [--no-install] [--file-timeout SECONDS]
 * Each package is analysed in a worker process, so an engine hang on one file is reported and the run goes on.
 */
import { join, resolve } from 'node:path';
import type { PackageRun } from './analyze-package';
import { loadDataset, packageKey } from './dataset';
import { ensureInstalled, missingPackages, packageDir } from './install';
import { printReport } from './report';
import { runPackage } from './run-package';

/** out/test/eval -> repository root, so the runner works from any cwd. */
const repoRoot = resolve(__dirname, '..', '..', '..');
const dataDir = join(repoRoot, 'test', 'eval');
const installRoot = join(repoRoot, '.cache', 'eval', 'pkgs');

interface Args {
  only?: Set<string>;
  install: boolean;
  fileTimeoutMs: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { install: true, fileTimeoutMs: 30_000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--no-install') args.install = false;
    else if (a === '--only' && argv[i + 1]) args.only = new Set(argv[++i]!.split(','));
    else if (a === '--file-timeout' && Number(argv[i + 1]) > 0) args.fileTimeoutMs = Number(argv[++i]) * 1000;
    else throw new Error(`unknown argument ${a}; usage: run.js [--only name[,name…]] [--no-install] [--file-timeout SECONDS]`);
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const { packages: all, sites } = loadDataset(dataDir);
  const packages = all.filter((p) => !args.only || args.only.has(p.name) || args.only.has(packageKey(p)));
  if (packages.length === 0) throw new Error('no package selected');
  const log = (line: string) => console.log(line);

  const missing = args.install ? ensureInstalled(installRoot, packages, log) : missingPackages(installRoot, packages);
  if (missing.length) throw new Error(`not installed: ${missing.map(packageKey).join(', ')}`);

  log(`zerocopy eval: ${packages.length} packages, ${sites.length} labelled source calls, installed under ${installRoot}`);
  const runs: PackageRun[] = [];
  for (const p of packages) runs.push(await runPackage(dataDir, packageDir(installRoot, p), p, sites, args.fileTimeoutMs));
  printReport(runs, log);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`eval failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
