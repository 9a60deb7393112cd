/**
 * `workspace/executeCommand` `zerocopy.runBenchmark`: benchmarks a finding's transfer. The
 * language server runs none of it: it starts `zerocopy bench … --json - --progress json` (this
 * very package's CLI) as a child in a process group of its own, relays its progress as work-done
 * progress, and answers with its JSON. Cancelling (the request, or the progress) or the time
 * limit (`zerocopy.benchmark.timeoutSeconds`) stops the whole group — SIGTERM, then SIGKILL half a
 * second later — and removes the run's folder.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import type { BenchmarkCommandArgs, BenchReport, Settings } from '../protocol';
import type { Cancellation, Progress } from './analyzeWorkspace';

export interface BenchmarkDeps {
  /** dist/cli.js of this package. */
  cliPath: string;
  fileNameOf(uri: string): string;
  settingsFor(fileName: string): Promise<Settings>;
  startProgress(workDoneToken: string | number | undefined): Promise<Progress>;
  log: { info(message: string): void; error(message: string): void };
}

/** Why a benchmark did not give a report: the reason, and whether it was cancelled or timed out. */
export class BenchmarkFailed extends Error {
  constructor(
    message: string,
    readonly kind: 'unrunnable' | 'cancelled' | 'timeout' | 'error',
  ) {
    super(message);
  }
}

const KILL_GRACE_MS = 500;
const POLL_MS = 100;

/** The measuring budget left inside the time limit: start-up, files and verification take the rest. */
export function budgetFor(timeoutSeconds: number): number {
  return Math.max(1, Math.min(40, Math.floor(timeoutSeconds * (2 / 3))));
}

export function createBenchmarkHandler(deps: BenchmarkDeps) {
  return async function runBenchmark(args: BenchmarkCommandArgs, token: Cancellation, workDoneToken?: string | number): Promise<BenchReport> {
    if (!args || typeof args.uri !== 'string' || typeof args.line !== 'number') throw new BenchmarkFailed('zerocopy.runBenchmark needs { uri, line[, character] }', 'error');
    const fileName = deps.fileNameOf(args.uri);
    const settings = await deps.settingsFor(fileName);
    const timeoutSeconds = settings.benchmark.timeoutSeconds;
    const target = `${fileName}:${args.line + 1}${args.character !== undefined ? `:${args.character + 1}` : ''}`;
    // The CLI ends itself inside the limit (skipping what it cannot begin); the kill is the backstop.
    const cli = [deps.cliPath, 'bench', target, '--json', '-', '--progress', 'json', '--time-budget', String(args.timeBudgetSeconds ?? budgetFor(timeoutSeconds)), '--time-limit', String(Math.max(1, timeoutSeconds - 2))];
    if (args.sizes?.length) cli.push('--sizes', args.sizes.join(','));
    if (args.concurrency?.length) cli.push('--concurrency', args.concurrency.join(','));

    const progress = await deps.startProgress(workDoneToken);
    progress.begin('Zero-Copy: benchmarking the transfer', 0, 'starting…', true);
    // Its own process group: stopping it stops everything it started.
    const child = spawn(process.execPath, cli, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    deps.log.info(`zerocopy: benchmarking ${target} (pid ${child.pid}, limit ${timeoutSeconds} s)`);
    let stdout = '';
    let stderrText = '';
    let runDir: string | undefined;
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      partial += chunk.toString();
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const message = parseLine(line);
        if (message?.type === 'progress' && typeof message.message === 'string') {
          progress.report(Math.round((typeof message.fraction === 'number' ? message.fraction : 0) * 100), message.message);
        } else if (message?.type === 'runDir' && typeof message.path === 'string') {
          runDir = message.path;
        } else if (line.trim()) stderrText += `${line}\n`;
      }
    });

    let stopped: 'cancelled' | 'timeout' | undefined;
    const stop = (why: 'cancelled' | 'timeout'): void => {
      if (stopped || child.exitCode !== null) return;
      stopped = why;
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref();
    };
    const poll = setInterval(() => {
      if (token.isCancellationRequested || progress.token?.isCancellationRequested) stop('cancelled');
    }, POLL_MS);
    const limit = setTimeout(() => stop('timeout'), timeoutSeconds * 1000);
    try {
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      if (stopped) {
        // Whatever the group left behind (a SIGKILL leaves no time to clean up).
        killGroup(child.pid, 'SIGKILL');
        if (runDir && existsSync(runDir)) rmSync(runDir, { recursive: true, force: true });
        if (stopped === 'timeout') throw new BenchmarkFailed(`the benchmark was stopped after ${timeoutSeconds} s (zerocopy.benchmark.timeoutSeconds)`, 'timeout');
        throw new BenchmarkFailed('the benchmark was cancelled', 'cancelled');
      }
      if (code === 0) return JSON.parse(stdout) as BenchReport;
      const reason = /cannot benchmark [^:]+:\d+(?::\d+)?: (.*)/s.exec(stderrText)?.[1]?.trim() ?? stderrText.replace(/^zerocopy: /gm, '').trim();
      throw new BenchmarkFailed(reason || `zerocopy bench exited with ${code}`, code === 1 ? 'unrunnable' : 'error');
    } finally {
      clearInterval(poll);
      clearTimeout(limit);
      progress.done();
    }
  };
}

function parseLine(line: string): { type?: unknown; message?: unknown; fraction?: unknown; path?: unknown } | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as { type?: unknown };
  } catch {
    return undefined;
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
