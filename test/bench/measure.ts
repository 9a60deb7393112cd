/**
 * Runs one measured child process and times it from spawn to exit: every measurement gets a
 * fresh process, so no run warms the next one's JIT or heap. The child's own CPU time and peak
 * RSS come from the preloaded report-usage module.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ChildUsage } from './children/report-usage';
import { CHILDREN_DIR } from './paths';

export interface MeasureOptions {
  /** Arguments after `node --require report-usage.js`. */
  args: string[];
  /** Where the child's stdout goes (a file, so a big JSON report costs no pipe back-pressure). */
  stdoutFile?: string;
  usageFile: string;
  timeoutMs: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Extra node flags (e.g. --cpu-prof), before --require. */
  nodeFlags?: string[];
}

export interface Measurement {
  wallMs: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  usage?: ChildUsage;
  stderrTail: string;
}

export function measureChild(o: MeasureOptions): Promise<Measurement> {
  rmSync(o.usageFile, { force: true });
  const out = o.stdoutFile ? openSync(o.stdoutFile, 'w') : 'ignore';
  const preload = join(CHILDREN_DIR, 'report-usage.js');
  return new Promise((resolve, reject) => {
    let stderr = '';
    let timedOut = false;
    const start = performance.now();
    const child = spawn(process.execPath, [...(o.nodeFlags ?? []), '--require', preload, ...o.args], {
      cwd: o.cwd,
      env: { ...process.env, ...o.env, ZC_BENCH_USAGE_FILE: o.usageFile },
      stdio: ['ignore', out, 'pipe'],
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (exitCode, signal) => {
      const wallMs = performance.now() - start;
      clearTimeout(timer);
      if (typeof out === 'number') closeSync(out);
      // stderr may still be draining after 'exit'; 'close' means every stream is done.
      child.on('close', () => {
        const usage = existsSync(o.usageFile) ? (JSON.parse(readFileSync(o.usageFile, 'utf8')) as ChildUsage) : undefined;
        resolve({ wallMs, exitCode, signal, timedOut, usage, stderrTail: stderr });
      });
    });
  });
}
