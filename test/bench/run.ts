/**
 * `npm run bench:engine`: the engine and language-server benchmarks, on a pinned corpus of real
 * npm packages (>= 1M lines). Prints figures and ratios against baselines measured in the same
 * run; never a pass/fail test. Options: see USAGE below (`--help`).
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { countParses, runEngineRounds, writeJob } from './engine/bench';
import { checkCliAvailability } from './engine/availability';
import { profileCheck } from './engine/profile';
import { engineReport } from './engine/report';
import { TRIALS, type Trial } from './engine/trials';
import { ensureCorpus } from './corpus/install';
import { loadCorpusSpec } from './corpus/spec';
import { listCorpus } from './corpus/walk';
import { runLargeFiles } from './large/bench';
import { largeReport } from './large/report';
import { LSP_STEPS, runLspRounds, type LspStep } from './lsp/bench';
import { codeActionReport } from './lsp/codeActions';
import { NAME_SIZES, namesReport, runNamesBench } from './names/bench';
import { runBurst, runSteadyRate } from './lsp/burst';
import { typingReport } from './lsp/report-typing';
import { runTypingDay } from './lsp/typing-day';
import { buildEditedFile } from './lsp/build-file';
import { lspReport } from './lsp/report';
import { buildWorkspace } from './lsp/workspace';
import { describeMachine } from './machine';
import { snapshotCli } from './cli-snapshot';
import { CLI_SNAPSHOT_DIR, CORPUS_DIR, DIST_CLI_JS, REPO_ROOT, RESULTS_DIR, UNBUNDLED_CLI_JS } from './paths';
import { selfCheckPeerRule } from './peer/self-check';
import { fmt } from './stats';

const USAGE = `node out/test/bench/run.js [options]   (npm run bench:engine -- [options])
  --rounds N        engine rounds (default 3)
  --lsp-rounds N    LSP rounds (default 3)
  --only engine|lsp|typing|large|names
                    run one part only: the engine (check, parse floor, ESLint, large files),
                    the language server (edit rounds, workspace, typing), typing alone (a day
                    of typing, a burst, a steady rate), large files alone, the name lookup on
                    synthetic projects of 1,000–10,000 files
  --name-sizes a,b  project sizes for the name lookup (default ${NAME_SIZES.join(',')})
  --trials a,b      engine trials: check, check-unbundled, parse-floor, eslint (default all)
  --edits N         edits per LSP round (default 250, at least 200)
  --lsp-steps a,b   LSP measurements: edits, workspace, code-actions (default all)
  --day-edits N     edits in the day of typing (default 10000; 0 skips it)
  --burst N         edits in the burst (default 1000; 0 skips it)
  --rate N          edits per second in the steady-rate run (default 60; 0 skips it)
  --large-sizes a,b sizes in MB of the large files (default 2,5,10,20,50; 0 skips them)
  --no-profile      skip the untimed CPU profiles`;

interface Options {
  rounds: number;
  lspRounds: number;
  only?: 'engine' | 'lsp' | 'typing' | 'large' | 'names';
  nameSizes: number[];
  trials: Trial['id'][];
  edits: number;
  dayEdits: number;
  burst: number;
  rate: number;
  largeSizes: number[];
  profile: boolean;
  lspSteps: LspStep[];
}

const ONLY = ['engine', 'lsp', 'typing', 'large', 'names'] as const;

function parseArgs(argv: string[]): Options {
  const o: Options = { rounds: 3, lspRounds: 3, trials: TRIALS.map((t) => t.id), edits: 250, dayEdits: 10_000, burst: 1000, rate: 60, largeSizes: [2, 5, 10, 20, 50], profile: true, nameSizes: NAME_SIZES, lspSteps: [...LSP_STEPS] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--rounds') o.rounds = Number(value());
    else if (a === '--lsp-rounds') o.lspRounds = Number(value());
    else if (a === '--edits') o.edits = Math.max(200, Number(value()));
    else if (a === '--day-edits') o.dayEdits = Number(value());
    else if (a === '--burst') o.burst = Number(value());
    else if (a === '--rate') o.rate = Number(value());
    else if (a === '--large-sizes') o.largeSizes = value().split(',').map(Number).filter((n) => n > 0);
    else if (a === '--only') {
      const v = value() as Options['only'];
      if (!ONLY.includes(v!)) throw new Error(`--only ${ONLY.join('|')}`);
      o.only = v;
    } else if (a === '--name-sizes') {
      o.nameSizes = value().split(',').map(Number);
    } else if (a === '--trials') o.trials = value().split(',') as Trial['id'][];
    else if (a === '--no-profile') o.profile = false;
    else if (a === '--lsp-steps') {
      o.lspSteps = value().split(',') as LspStep[];
      const unknown = o.lspSteps.find((step) => !(LSP_STEPS as readonly string[]).includes(step));
      if (unknown) throw new Error(`--lsp-steps: unknown step ${unknown} (${LSP_STEPS.join(', ')})`);
    }
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const report: string[] = [];
  const say = (line = ''): void => {
    console.log(line);
    report.push(line);
  };
  const progress = (line: string): void => console.log(line);
  const started = new Date();
  say(`## Engine and language-server benchmarks`);
  say();
  say(`Run ${started.toISOString()} on ${describeMachine()}.`);
  const results: Record<string, unknown> = { started: started.toISOString() };
  if (o.only !== 'names') await corpusBenches(o, say, progress, results);
  if (o.only === undefined || o.only === 'names') {
    say();
    say(`### The name lookup as the project grows (methods called on injected objects)`);
    const runs = runNamesBench(o.nameSizes, progress);
    say();
    for (const line of namesReport(runs)) say(line);
    results.names = runs;
  }

  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(RESULTS_DIR, `${stamp}.json`), JSON.stringify(results, null, 2));
  writeFileSync(join(RESULTS_DIR, `${stamp}.md`), report.join('\n') + '\n');
  writeFileSync(join(RESULTS_DIR, 'latest.md'), report.join('\n') + '\n');
  console.log(`\n(results: ${relative(REPO_ROOT, join(RESULTS_DIR, stamp))}.{json,md}, and the report again in ${relative(REPO_ROOT, join(RESULTS_DIR, 'latest.md'))})`);
}

/** The engine and language-server benchmarks on the pinned corpus. */
async function corpusBenches(o: Options, say: (line?: string) => void, progress: (line: string) => void, results: Record<string, unknown>): Promise<void> {

  const spec = loadCorpusSpec();
  const roots = ensureCorpus(spec, progress);
  const listing = listCorpus(roots);
  const mb = (b: number): string => `${fmt(b / 1e6, 1)} MB`;
  say();
  say(
    `Corpus: ${spec.packages.length} pinned npm packages (test/bench/corpus.json) in ${relative(REPO_ROOT, CORPUS_DIR)}: ` +
      `**${fmt(listing.measured.files)} files, ${fmt(listing.measured.lines)} lines, ${mb(listing.measured.bytes)}** measured; ` +
      `left out: ${fmt(listing.minified.files)} minified files (${fmt(listing.minified.lines)} lines), ` +
      `${fmt(listing.oversize.files)} files over the engine's default max size (${fmt(listing.oversize.lines)} lines, ${mb(listing.oversize.bytes)}).`,
  );
  progress(
    '  ' +
      [...listing.perRoot.entries()]
        .map(([root, t]) => `${relative(join(CORPUS_DIR, 'node_modules'), root)} ${fmt(t.files)} files / ${fmt(t.lines)} lines`)
        .join('; '),
  );
  if (listing.measured.lines < 1_000_000) say(`WARNING: the corpus has fewer than 1,000,000 lines; add packages to corpus.json.`);

  // The copy of dist/ first, then every question about the CLI is asked of that copy.
  rmSync(CLI_SNAPSHOT_DIR, { recursive: true, force: true }); // never a copy left from an earlier run
  if (existsSync(DIST_CLI_JS)) {
    const snap = snapshotCli();
    say(
      `CLI: dist/ (${snap.files.join(', ')}: ${fmt(snap.bytes / 1e6, 1)} MB, sha256 ${snap.sha256}${snap.minified ? ', a minified production build' : ''}), ` +
        `run from a copy taken now (${relative(REPO_ROOT, CLI_SNAPSHOT_DIR)}) so a rebuild in the shared checkout cannot change it mid-run.`,
    );
  }
  const cli = checkCliAvailability();
  if (cli.enginePlaceholder) say(`NOTE: server/src/engine/analyze.ts still says TEMPORARY: the engine is the placeholder, so check's figures measure only the CLI around it.`);
  if (!cli.usable) say(`NOTE: the CLI cannot be measured yet: ${cli.reason}`);

  results.corpus = { measured: listing.measured, oversize: listing.oversize, minified: listing.minified };

  const runs = (part: 'engine' | 'lsp' | 'typing' | 'large'): boolean =>
    o.only === undefined || o.only === part || (o.only === 'engine' && part === 'large') || (o.only === 'lsp' && part === 'typing');

  if (runs('engine')) {
    let trials = TRIALS.filter((t) => o.trials.includes(t.id));
    if (!cli.usable) trials = trials.filter((t) => t.id !== 'check' && t.id !== 'check-unbundled');
    if (!existsSync(UNBUNDLED_CLI_JS)) trials = trials.filter((t) => t.id !== 'check-unbundled');
    if (trials.some((t) => t.id === 'eslint')) {
      const check = selfCheckPeerRule();
      progress(`peer rule self-check: ${check.passed} cases as expected${check.failures.length ? `; FAILED: ${check.failures.join('; ')}` : ''}`);
      if (check.failures.length) trials = trials.filter((t) => t.id !== 'eslint');
    }
    const jobFile = writeJob(roots, listing);
    if (existsSync(UNBUNDLED_CLI_JS)) {
      progress('counting what check parses (untimed)…');
      const count = countParses(jobFile);
      results.parseCount = count;
      say();
      say(
        typeof count === 'string'
          ? `(Could not count what check parses: ${count}.)`
          : `What check parses (counted untimed, by wrapping the engine's parse()): ${fmt(count.parseCalls)} parses of ${fmt(count.distinctFiles)} distinct files, ` +
              `${fmt(count.charsParsed / 1e6, 1)} M characters in all; the files it parses are about ${fmt((count.distinctChars / listing.measured.bytes) * 100, 1)}% of the corpus by size. ` +
              `It skips the files a text pre-scan shows cannot reach fs; the parse floor and ESLint parse every file once.`,
      );
    }
    say();
    say(`### zerocopy check vs the parse floor vs ESLint (${o.rounds} round${o.rounds === 1 ? '' : 's'}, rotated order, each run a fresh process)`);
    progress(`running ${trials.map((t) => t.id).join(', ')}, ${o.rounds} round(s)…`);
    const runs = await runEngineRounds(roots, listing, jobFile, { rounds: o.rounds, timeoutMs: 30 * 60_000, trials, log: progress });
    say();
    for (const line of engineReport(runs, trials, listing)) say(line);
    results.engine = runs;
    if (o.profile && cli.usable && trials.some((t) => t.id === 'check')) {
      progress('profiling one more check run (untimed)…');
      say();
      for (const line of await profileCheck(roots, 30 * 60_000)) say(line);
    }
  }

  if (runs('large') && o.largeSizes.length && cli.usable) {
    say();
    say(`### Large files`);
    progress(`checking generated files of ${o.largeSizes.join(', ')} MB…`);
    const large = await runLargeFiles(spec, o.largeSizes, progress);
    say();
    for (const line of largeReport(large)) say(line);
    results.large = large;
  }

  if (runs('lsp')) {
    say();
    say(`### Through the language server (node dist/cli.js lsp --stdio)`);
    if (!cli.usable) say(`(the CLI is not usable yet, so the server probably is not either: ${cli.reason})`);
    const file = buildEditedFile(spec);
    const ws = buildWorkspace(listing, spec.workspace.files);
    progress(`edited file: ${relative(REPO_ROOT, file.path)} (${file.lines} lines from ${file.sources.join(', ')}); workspace: ${relative(REPO_ROOT, ws.dir)}`);
    const lsp = await runLspRounds(file, ws, { rounds: o.lspRounds, profile: o.profile, minEdits: o.edits, editTimeoutMs: 10_000, log: progress, steps: o.lspSteps });
    if (o.lspSteps.includes('edits') || o.lspSteps.includes('workspace')) {
      say();
      for (const line of lspReport(file, ws, lsp.edits, lsp.workspace, lsp.unlimited)) say(line);
    }
    if (lsp.codeActions.length) {
      say();
      for (const line of codeActionReport(file, lsp.codeActions)) say(line);
    }
    if (lsp.profile.length) {
      say();
      for (const line of lsp.profile) say(line);
    }
    results.lsp = lsp;
  }

  if (runs('typing') && (o.dayEdits > 0 || o.burst > 0 || o.rate > 0)) {
    say();
    say(`### Typing through the language server: memory over a day, bursts, a steady rate`);
    const day = o.dayEdits > 0 ? await runTypingDay(buildEditedFile(spec, 2000, 'typing-day.js'), { edits: o.dayEdits, every: 2000, editTimeoutMs: 10_000, log: progress }) : undefined;
    const file = buildEditedFile(spec);
    if (o.burst > 0) progress(`a burst of ${o.burst} edits…`);
    const burst = o.burst > 0 ? await runBurst(file, o.burst, 120_000) : undefined;
    if (o.rate > 0) progress(`${o.rate} edits/s…`);
    const rate = o.rate > 0 ? await runSteadyRate(file, o.rate, 300, 60_000) : undefined;
    say();
    for (const line of typingReport(day, burst, rate)) say(line);
    results.typing = { day, burst, rate };
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
