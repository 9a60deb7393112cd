/**
 * Runs the second set the way a user runs the tool: `zerocopy check . --format json` in each project's folder (the
 * CLI as built by `tsc -b`, out/server/src/cli/main.js, in a child process), then scores the findings against the
 * labels. Findings in walked files that the project excludes from scoring (tests, build scripts) are kept apart and
 * shown, not counted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Recommendation, RuleId } from '../../server/src/engine/index';
import { spansFor } from './analyze-package';
import { materialise } from './materialise';
import { projectFiles, toPosix } from './project-files';
import { excludesOf, type EvalProject, type ProjectSite } from './projects-set';
import { scoreFile, type FileScore } from './score';

/** A finding as `zerocopy check --format json` prints it (docs/cli.md). */
export interface CliFinding {
  rule: RuleId;
  recommendation: Recommendation;
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
  sink: { kind: string; transport: string; file: string; range: { start: { line: number; character: number } } };
}

interface CliReport {
  findings: CliFinding[];
  skipped: { file: string; reason: string }[];
  errors: { file: string; message: string }[];
  summary: { files: number };
}

export interface ProjectRun {
  project: EvalProject;
  /** Why the project was not run (no mirror, npm unreachable), or undefined when it was. */
  unavailable?: string;
  /** Why the CLI run failed (timeout, crash without a report): its labelled positives count as missed. */
  failure?: string;
  files: { file: string; score: FileScore<ProjectSite, CliFinding> }[];
  walked: number;
  /** How many of the walked files are scored (compared with the pinned `scoredFiles`). */
  scoredCount: number;
  /** How many files the CLI says it analysed. */
  analysed: number;
  /** Findings whose file is walked but excluded from scoring, or outside the project folder. */
  notScored: CliFinding[];
  skipped: { file: string; reason: string }[];
  errors: { file: string; message: string }[];
  staleLabels: ProjectSite[];
  millis: number;
}

function runCli(cli: string, folder: string, timeoutMs: number): Promise<{ report?: CliReport; failure?: string; millis: number }> {
  const scratch = mkdtempSync(join(tmpdir(), 'zc-eval-cli-'));
  const output = join(scratch, 'report.json');
  const started = performance.now();
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [cli, 'check', '.', '--format', 'json', '--output', output], { cwd: folder, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const millis = performance.now() - started;
      let report: CliReport | undefined;
      try {
        report = JSON.parse(readFileSync(output, 'utf8')) as CliReport;
      } catch {
        report = undefined;
      }
      rmSync(scratch, { recursive: true, force: true });
      if (timedOut) resolvePromise({ failure: `zerocopy check did not finish within ${timeoutMs / 1000} s (killed)`, millis });
      else if (!report) {
        const tail = stderr.trim().split('\n').filter((l) => !l.startsWith('zerocopy: skipped')).slice(-4).join(' | ');
        resolvePromise({ failure: `zerocopy check exited with ${code ?? signal} and wrote no report: ${tail}`, millis });
      } else resolvePromise({ report, millis });
    });
  });
}

export async function runProject(
  cacheRoot: string,
  cli: string,
  set: { defaultExclude: string[] },
  project: EvalProject,
  sites: readonly ProjectSite[],
  timeoutMs: number,
  log: (line: string) => void,
): Promise<ProjectRun> {
  const run: ProjectRun = { project, files: [], walked: 0, scoredCount: 0, analysed: 0, notScored: [], skipped: [], errors: [], staleLabels: [], millis: 0 };
  const m = materialise(cacheRoot, project, log);
  if (!m.ok) return { ...run, unavailable: m.reason };
  const files = await projectFiles(m.dir, project, excludesOf(set, project));
  run.walked = files.walked.length;
  run.scoredCount = files.scored.length;
  const outcome = await runCli(cli, files.folder, timeoutMs);
  run.millis = outcome.millis;
  if (outcome.failure) run.failure = outcome.failure;
  const report = outcome.report;
  if (report) {
    run.analysed = report.summary.files;
    run.skipped = report.skipped;
    run.errors = report.errors;
  }

  // The same finding reported twice (a flow seen from two files) counts once.
  const byFile = new Map<string, CliFinding[]>();
  const seen = new Set<string>();
  const scored = new Set(files.scored);
  for (const f of report?.findings ?? []) {
    const file = toPosix(f.file);
    const key = `${file}:${f.range.start.line}:${f.range.start.character}:${f.rule}:${f.sink.file}:${f.sink.range.start.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!scored.has(file)) run.notScored.push(f);
    else byFile.set(file, [...(byFile.get(file) ?? []), f]);
  }
  for (const file of files.scored) {
    const labels = sites.filter((s) => s.file === file);
    const findings = byFile.get(file) ?? [];
    if (labels.length === 0 && findings.length === 0) continue;
    const text = readFileSync(resolve(files.folder, file), 'utf8');
    const { spans, stale } = spansFor(file, text, labels);
    run.staleLabels.push(...stale);
    run.files.push({ file, score: scoreFile(file, spans, findings) });
  }
  const orphans = sites.filter((s) => !scored.has(s.file));
  run.staleLabels.push(...orphans);
  return run;
}
