/**
 * Runs the worker over one package with a watchdog: if no file finishes within `fileTimeoutMs`, the worker is
 * killed, the file it was on is recorded as unfinished (an engine hang: its positives count as missed), and a new
 * worker carries on from the next file.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { scorePackage, type FileAnalysis, type PackageRun } from './analyze-package';
import { packageKey, siteKey, type EvalPackage, type LabelledSite } from './dataset';

const WORKER = join(__dirname, 'worker.js');

interface WorkerOutcome {
  results: FileAnalysis[];
  /** Set when the worker was killed by the watchdog or died. */
  failure?: string;
}

function runWorker(dataDir: string, dir: string, pkg: EvalPackage, first: number, fileTimeoutMs: number): Promise<WorkerOutcome> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [WORKER, dataDir, dir, packageKey(pkg), String(first)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const results: FileAnalysis[] = [];
    let stderr = '';
    let timedOut = false;
    let timer: NodeJS.Timeout;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, fileTimeoutMs);
    };
    arm();
    createInterface({ input: child.stdout }).on('line', (line) => {
      results.push(JSON.parse(line) as FileAnalysis);
      arm();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) resolvePromise({ results, failure: `the engine did not finish this file within ${fileTimeoutMs / 1000} s (worker killed)` });
      else if (code !== 0) resolvePromise({ results, failure: `worker exited with ${code ?? signal}: ${stderr.trim().split('\n').filter(Boolean).slice(-6).join(' | ')}` });
      else resolvePromise({ results });
    });
  });
}

export async function runPackage(
  dataDir: string,
  dir: string,
  pkg: EvalPackage,
  sites: readonly LabelledSite[],
  fileTimeoutMs: number,
): Promise<PackageRun> {
  const results: FileAnalysis[] = [];
  while (results.length < pkg.files.length) {
    const outcome = await runWorker(dataDir, dir, pkg, results.length, fileTimeoutMs);
    results.push(...outcome.results);
    if (outcome.failure && results.length < pkg.files.length) {
      // The file the worker was on: recorded with no findings, so its positives count as missed.
      results.push({ file: pkg.files[results.length]!, findings: [], error: outcome.failure, millis: 0 });
    } else if (outcome.failure) {
      throw new Error(`${packageKey(pkg)}: ${outcome.failure}`);
    }
  }
  return scorePackage(pkg, dir, sites.filter((s) => siteKey(s) === packageKey(pkg)), results);
}
