/**
 * "Benchmark this transfer": a finding -> the user's code path (sliced, bound to a generated file
 * and a real sink), each fix's rewrite of it, and the references, measured in child processes ->
 * the report. Runs in the process that calls it only the orchestration: the user's code runs in
 * the serving processes, never here.
 */
import { createRequire } from 'node:module';
import * as os from 'node:os';
import type { Finding } from '../engine/types';
import { packageVersion } from '../report/packageRoot';
import { DEFAULT_CONCURRENCY, DEFAULT_SIZES, DEFAULT_TIME_BUDGET_SECONDS } from './defaults';
import { fixVariants } from './fixVariants';
import { emitHarness } from './harness/emit';
import { REFERENCES, referenceHarness } from './harness/references';
import { BENCH_FORMAT_VERSION, type BenchReport, type BenchVariant } from '../protocol/benchReport';
import { killAllChildren } from './run/children';
import { createRunDir, removeRunDir, sweepStaleRunDirs } from './run/runDir';
import { Cancelled, Unrunnable, sweep, type VariantPlan } from './run/sweep';
import { locate } from './slice/locate';
import { ModuleGraph } from './slice/modules';
import { FRAMEWORK_PACKAGE, SINK_DESCRIPTION } from './slice/servers';
import { relativeTo, sliceTransfer } from './slice/slice';
import { startsToWin } from './summary';


export interface BenchmarkRequest {
  finding: Finding;
  /** The texts of the user's files (the slicer follows imports). */
  getText(fileName: string): string | undefined;
  /** Paths in the report are relative to this folder. */
  displayRoot: string;
  sizes?: readonly number[];
  concurrency?: readonly number[];
  timeBudgetSeconds?: number;
  /** When the whole run must end (epoch ms): points not begun by then are skipped, and said to be. */
  deadline?: number;
  signal?: AbortSignal;
  onProgress?(message: string, fraction: number): void;
  /** Told the run folder as soon as it exists (a parent that may have to kill this process removes it). */
  onRunDir?(dir: string): void;
}

export type BenchmarkOutcome = { ok: true; report: BenchReport } | { ok: false; reason: string; cancelled?: boolean };

export async function benchmarkFinding(request: BenchmarkRequest): Promise<BenchmarkOutcome> {
  const started = Date.now();
  sweepStaleRunDirs();
  const { finding } = request;
  const located = locate(finding, new ModuleGraph(request.getText, () => false, (f) => relativeTo(request.displayRoot, f)));
  if (!located.ok) return { ok: false, reason: located.reason };
  const sliced = sliceTransfer(located.anchors, request.getText, request.displayRoot);
  if (!sliced.ok) return { ok: false, reason: sliced.reason };
  const slice = sliced.slice;
  const server = slice.server;

  let frameworkPath: string | undefined;
  const frameworkPackage = FRAMEWORK_PACKAGE[server];
  if (frameworkPackage) {
    try {
      frameworkPath = createRequire(slice.transferFile.fileName).resolve(frameworkPackage);
    } catch {
      return { ok: false, reason: `the handler runs on ${frameworkPackage}, which is not installed where ${relativeTo(request.displayRoot, slice.transferFile.fileName)} would load it (run npm install there first)` };
    }
  }
  const runtime = bundledRuntime();

  const asWritten = emitHarness(slice, 'the code as written');
  const variants: BenchVariant[] = [
    { name: 'as written', kind: 'as-written', description: `your code from ${relativeTo(request.displayRoot, slice.transferFile.fileName)}`, code: asWritten.userCode, dropped: slice.dropped, bound: slice.bound, points: [] },
  ];
  const plans: VariantPlan[] = [{ name: 'as written', kind: 'as-written', source: asWritten.source, holdsWholeFile: finding.holds === 'whole-file' }];
  const notes = slice.assumed.map((a) => `assumed on the way to the transfer: ${a}`);
  const fixes = fixVariants(finding, located.anchors, request.getText, request.displayRoot, runtime.version);
  for (const { kind, reason } of fixes.notOffered) notes.push(`no ${kind} fix: ${reason}`);
  for (const variant of fixes.variants) {
    const name = `fix: ${variant.fix.kind}`;
    if (!variant.slice) {
      notes.push(`the ${variant.fix.kind} fix could not be benchmarked: ${variant.reason}`);
      continue;
    }
    const harness = emitHarness(variant.slice, `the ${variant.fix.kind} fix`);
    variants.push({ name, kind: 'fix', description: variant.fix.title, code: harness.userCode, dropped: variant.slice.dropped, bound: variant.slice.bound, points: [] });
    plans.push({ name, kind: 'fix', source: harness.source, holdsWholeFile: false });
  }
  for (const reference of REFERENCES) {
    const harness = referenceHarness(reference, server);
    variants.push({ name: reference.name, kind: 'reference', description: reference.description, code: harness.userCode, dropped: [], bound: [{ name: 'file', to: 'the generated file' }], points: [] });
    plans.push({ name: reference.name, kind: 'reference', source: harness.source, holdsWholeFile: reference.name === 'readFile + write' });
  }

  const controller = new AbortController();
  const onAbort = (): void => {
    controller.abort();
    killAllChildren();
  };
  if (request.signal?.aborted) return { ok: false, reason: 'cancelled', cancelled: true };
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const dir = createRunDir();
  request.onRunDir?.(dir);
  const timeBudgetSeconds = request.timeBudgetSeconds ?? DEFAULT_TIME_BUDGET_SECONDS;
  try {
    const result = await sweep(plans, {
      dir,
      server,
      frameworkPath,
      runtimePath: runtime.path,
      sizes: request.sizes ?? DEFAULT_SIZES,
      concurrency: request.concurrency ?? DEFAULT_CONCURRENCY,
      timeBudgetMs: timeBudgetSeconds * 1000,
      ...(request.deadline !== undefined ? { timeLimitMs: Math.max(0, request.deadline - Date.now()) } : {}),
      signal: controller.signal,
      progress: (message, fraction) => request.onProgress?.(message, fraction),
    });
    for (const v of variants) {
      v.points = result.points.get(v.name) ?? [];
      const wrong = result.wrong.get(v.name);
      if (wrong) v.wrong = wrong;
      if (v.kind !== 'as-written') v.startsToWin = startsToWin(v.points);
    }
    const line = finding.range.start.line + 1;
    const report: BenchReport = {
      formatVersion: BENCH_FORMAT_VERSION,
      tool: { name: 'zerocopy', version: packageVersion() },
      finding: { file: relativeTo(request.displayRoot, finding.fileName), line, column: finding.range.start.character + 1, rule: finding.rule, recommendation: finding.recommendation },
      environment: {
        cpu: os.cpus()[0]?.model ?? 'unknown',
        cores: os.cpus().length,
        memoryBytes: os.totalmem(),
        platform: `${process.platform}-${process.arch}`,
        kernel: os.release(),
        node: process.version,
        runtime: { version: runtime.version, addon: runtime.addon, ...(runtime.reason ? { reason: runtime.reason } : {}) },
        pinning: result.pinning,
        coldCache: result.coldCache,
        sink: SINK_DESCRIPTION[server],
        loadClient: result.loadClient,
        loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
        timeBudgetSeconds,
        elapsedSeconds: Math.round((Date.now() - started) / 100) / 10,
        stoppedEarly: result.stoppedEarly,
      },
      variants,
      notes,
    };
    return { ok: true, report };
  } catch (error) {
    if (controller.signal.aborted || error instanceof Cancelled) return { ok: false, reason: 'cancelled', cancelled: true };
    if (error instanceof Unrunnable) return { ok: false, reason: error.message };
    throw error;
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
    killAllChildren();
    removeRunDir(dir);
  }
}

/** The `zerocopy` runtime this tool ships (dist/node_modules/zerocopy, or the workspace package when developing). */
function bundledRuntime(): { path: string; version: string; addon: boolean; reason?: string } {
  const path = require.resolve('zerocopy');
  const runtime = require('zerocopy') as { available: { loaded: boolean; reason?: string } };
  let version = '0.0.0';
  try {
    version = (require('zerocopy/package.json') as { version: string }).version;
  } catch {
    // a staged runtime always has its package.json; keep going without the version otherwise
  }
  return { path, version, addon: runtime.available.loaded, ...(runtime.available.loaded ? {} : { reason: runtime.available.reason ?? 'the addon did not load' }) };
}
