/**
 * `bench:engine`'s first half: the CLI, the parse floor and the ESLint peer on the same corpus,
 * each in a fresh child, round after round in rotated order (so no trial always runs first or
 * right after the heaviest one), recording wall time, CPU time, peak RSS and how busy the rest
 * of the machine was.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildJob } from '../children/job';
import type { CorpusListing } from '../corpus/walk';
import { cpuSnapshot, othersCores } from '../machine';
import { measureChild } from '../measure';
import { DEFAULT_MAX_FILE_SIZE } from '../../../server/src/engine';
import type { ParseCount } from '../children/count-parses';
import { CHILDREN_DIR, CORPUS_DIR, RUNS_DIR } from '../paths';
import { fmt } from '../stats';
import { TRIALS, type Trial, type TrialFindings } from './trials';

export interface TrialRun {
  trial: Trial['id'];
  round: number;
  position: number;
  wallMs: number;
  cpuMs?: number;
  maxRssMb?: number;
  othersCores?: number;
  ok: boolean;
  error?: string;
  found?: TrialFindings;
}

/** The job file every engine child reads: the measured files, exactly as the engine filters them. */
export function writeJob(roots: string[], listing: CorpusListing): string {
  mkdirSync(RUNS_DIR, { recursive: true });
  const jobFile = join(RUNS_DIR, 'job.json');
  const job: ChildJob = { files: listing.files, baseDir: CORPUS_DIR, roots, maxFileSize: DEFAULT_MAX_FILE_SIZE };
  writeFileSync(jobFile, JSON.stringify(job));
  return jobFile;
}

/** Untimed: how much parsing check does (children/count-parses.ts), or why it could not be counted. */
export function countParses(jobFile: string): ParseCount | string {
  const resultFile = join(RUNS_DIR, 'parse-count.json');
  rmSync(resultFile, { force: true });
  const r = spawnSync(process.execPath, [join(CHILDREN_DIR, 'count-parses.js'), jobFile, resultFile], { encoding: 'utf8', timeout: 15 * 60_000 });
  if (r.status !== 0 || !existsSync(resultFile)) return `exit ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().slice(-300)}`;
  const count = JSON.parse(readFileSync(resultFile, 'utf8')) as ParseCount;
  if (count.parseCalls === 0 && count.findings > 0) return 'parse() is no longer reachable by wrapping its export (the engine changed)';
  return count;
}

export interface EngineBenchOptions {
  rounds: number;
  timeoutMs: number;
  trials: Trial[];
  log: (line: string) => void;
}

export async function runEngineRounds(roots: string[], listing: CorpusListing, jobFile: string, o: EngineBenchOptions): Promise<TrialRun[]> {
  const runs: TrialRun[] = [];
  for (let round = 0; round < o.rounds; round++) {
    const order = o.trials.map((_, i) => o.trials[(i + round) % o.trials.length]!);
    for (const [position, trial] of order.entries()) {
      const runDir = join(RUNS_DIR, `round${round}-${trial.id}`);
      mkdirSync(runDir, { recursive: true });
      const ctx = { roots, jobFile, runDir };
      const before = cpuSnapshot();
      const m = await measureChild({
        args: trial.args(ctx),
        stdoutFile: join(runDir, 'stdout.txt'),
        usageFile: join(runDir, 'usage.json'),
        timeoutMs: o.timeoutMs,
      });
      const after = cpuSnapshot();
      const cpuMs = m.usage ? m.usage.cpuUserMs + m.usage.cpuSystemMs : undefined;
      const run: TrialRun = {
        trial: trial.id,
        round,
        position,
        wallMs: m.wallMs,
        cpuMs,
        maxRssMb: m.usage?.maxRssMb,
        othersCores: othersCores(before, after, cpuMs, m.wallMs),
        ok: !m.timedOut && trial.succeeded(m.exitCode),
      };
      if (!run.ok) run.error = m.timedOut ? `timed out after ${o.timeoutMs} ms` : `exit ${m.exitCode ?? m.signal}: ${m.stderrTail.trim().slice(-600)}`;
      else {
        try {
          run.found = trial.read(ctx);
        } catch (err) {
          run.ok = false;
          run.error = `could not read its output: ${(err as Error).message}`;
        }
      }
      runs.push(run);
      const lps = listing.measured.lines / (run.wallMs / 1000);
      o.log(
        `  round ${round + 1}/${o.rounds} ${trial.id.padEnd(11)} ${run.ok ? '' : 'FAILED '}` +
          `wall ${fmt(run.wallMs)} ms, cpu ${fmt(run.cpuMs ?? NaN)} ms, ${fmt(lps)} lines/s, ` +
          `peak RSS ${fmt(run.maxRssMb ?? NaN)} MB, others using ${fmt(run.othersCores ?? NaN, 2)} cores` +
          (run.found?.findings !== undefined ? `, findings ${run.found.findings}` : '') +
          (run.error ? `\n    ${run.error}` : ''),
      );
    }
  }
  return runs;
}
