/**
 * `npm run eval`: precision and recall of the engine on real code labelled by hand (see README.md beside this file),
 * in two sets. Set 1: published npm packages, each file analysed by the engine in a worker process (an engine hang
 * on one file is reported and the run goes on). Set 2: applications and libraries analysed the way users run the
 * tool, `zerocopy check <project folder> --format json`. A measurement, not a test: it prints the figures whatever
 * they are and exits 0, unless the run itself failed (dataset invalid, install failed). Set 3: more applications and
 * libraries, run as set 2 is, labelled before the tool was first run on them (set3/); set 4 likewise (set4/). The
 * project sets are listed once, in project-sets.ts.
 *
 * Usage: node out/test/eval/run.js [--set 1|2|3|4] [--only name[,name…]] [--no-install] [--file-timeout SECONDS]
 *                                  [--project-timeout SECONDS]
 */
import { join, resolve } from 'node:path';
import type { PackageRun } from './analyze-package';
import { loadDataset, packageKey } from './dataset';
import { ensureInstalled, missingPackages, packageDir } from './install';
import { printReport } from './report';
import { printProjectReport } from './report-projects';
import { runPackage } from './run-package';
import { runProject, type ProjectRun } from './run-projects';
import { PROJECT_SETS, SET_IDS, projectSetDir } from './project-sets';
import { loadProjectSet } from './projects-set';

/** out/test/eval -> repository root, so the runner works from any cwd. */
const repoRoot = resolve(__dirname, '..', '..', '..');
const dataDir = join(repoRoot, 'test', 'eval');
const installRoot = join(repoRoot, '.cache', 'eval', 'pkgs');
const projectsRoot = join(repoRoot, '.cache', 'eval', 'projects');
/** The CLI as `tsc -b test` builds it (test references server): what `zerocopy check` runs, unbundled. */
const cli = join(repoRoot, 'out', 'server', 'src', 'cli', 'main.js');
const USAGE = `usage: run.js [--set ${SET_IDS.join('|')}] [--only name[,name…]] [--no-install] [--file-timeout SECONDS] [--project-timeout SECONDS]`;

interface Args {
  sets: Set<number>;
  only?: Set<string>;
  install: boolean;
  fileTimeoutMs: number;
  projectTimeoutMs: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { sets: new Set(SET_IDS), install: true, fileTimeoutMs: 30_000, projectTimeoutMs: 1_800_000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--no-install') args.install = false;
    else if (a === '--set' && SET_IDS.includes(Number(argv[i + 1]))) args.sets = new Set([Number(argv[++i])]);
    else if (a === '--only' && argv[i + 1]) args.only = new Set(argv[++i]!.split(','));
    else if (a === '--file-timeout' && Number(argv[i + 1]) > 0) args.fileTimeoutMs = Number(argv[++i]) * 1000;
    else if (a === '--project-timeout' && Number(argv[i + 1]) > 0) args.projectTimeoutMs = Number(argv[++i]) * 1000;
    else throw new Error(`unknown argument ${a}; ${USAGE}`);
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string) => console.log(line);
  if (args.sets.has(1)) await runSet1(args, log);
  for (const set of PROJECT_SETS) if (args.sets.has(set.id)) await runProjectSet(args, log, `Set ${set.id}`, projectSetDir(dataDir, set.id));
  return 0;
}

/** The project sets (2, 3, 4): the same format (projects.json, projects-dataset.json in `dir`), run the same way. */
async function runProjectSet(args: Args, log: (line: string) => void, title: string, dir: string): Promise<void> {
  const set = loadProjectSet(dir);
  const projects = set.projects.filter((p) => !args.only || args.only.has(p.name));
  if (projects.length === 0) {
    if (!args.only) throw new Error(`no project in ${join(dir, 'projects.json')}`);
    return;
  }
  log('');
  log(`zerocopy eval, ${title.toLowerCase()}: ${projects.length} projects, ${set.sites.filter((s) => projects.some((p) => p.name === s.project)).length} labelled source calls, materialised under ${projectsRoot}`);
  const runs: ProjectRun[] = [];
  for (const p of projects) {
    const run = await runProject(projectsRoot, cli, set, p, set.sites.filter((s) => s.project === p.name), args.projectTimeoutMs, log);
    log(`  ${p.name}: ${run.unavailable ? 'not available: ' + run.unavailable : `${run.analysed} files analysed in ${(run.millis / 1000).toFixed(0)} s${run.failure ? ' — ' + run.failure : ''}`}`);
    runs.push(run);
  }
  printProjectReport(runs, log, title);
}

async function runSet1(args: Args, log: (line: string) => void): Promise<void> {
  const { packages: all, sites } = loadDataset(dataDir);
  const packages = all.filter((p) => !args.only || args.only.has(p.name) || args.only.has(packageKey(p)));
  if (packages.length === 0) {
    if (!args.only) throw new Error('no package in packages.json');
    return;
  }

  const missing = args.install ? ensureInstalled(installRoot, packages, log) : missingPackages(installRoot, packages);
  if (missing.length) throw new Error(`not installed: ${missing.map(packageKey).join(', ')}`);

  log(`zerocopy eval: ${packages.length} packages, ${sites.length} labelled source calls, installed under ${installRoot}`);
  const runs: PackageRun[] = [];
  for (const p of packages) runs.push(await runPackage(dataDir, packageDir(installRoot, p), p, sites, args.fileTimeoutMs));
  printReport(runs, log);
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`eval failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
