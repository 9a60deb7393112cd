/**
 * The measurement: every variant behind its own serving process, one load client, a generated
 * file per size. For each size the bytes of every variant are verified first (length and SHA-256
 * at the receiver; a variant that sends wrong bytes is wrong, not timed), then each point
 * (concurrency × warm/cold cache) runs rounds — every variant once per round, in rotated order,
 * so neighbours in time share the machine's background — until every variant's median has a 95 %
 * interval within ±5 %, or the point's share of the time budget is spent.
 */
import { freemem } from 'node:os';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchPoint, CacheState, VariantKind } from '../../protocol/benchReport';
import { protocolOf, type LoadMessage, type LoadRequest, type ServeMessage, type TransferResult } from '../children/messages';
import type { ServerKind } from '../slice/servers';
import { formatSize, median, medianInterval, quantile } from '../stats';
import { loadClientDescription } from '../children/nativeClient';
import { Child, childScript, pinning } from './children';
import { coldCacheSupport, evict, generateFile, offsetOf, rangeHash, type ColdCache, type GeneratedFile } from './files';

export interface VariantPlan {
  name: string;
  kind: VariantKind;
  /** The harness module's source. */
  source: string;
  /** Holds the whole file in memory per transfer (readFile): skipped where that would not fit. */
  holdsWholeFile: boolean;
}

export interface SweepOptions {
  dir: string;
  server: ServerKind;
  frameworkPath: string | undefined;
  runtimePath: string;
  sizes: readonly number[];
  concurrency: readonly number[];
  timeBudgetMs: number;
  /**
   * Wall time the whole sweep may take (what an editor's time limit leaves it): points not begun
   * by then are skipped and the report says so, instead of the run being killed with nothing.
   */
  timeLimitMs?: number;
  signal: AbortSignal;
  progress(message: string, fraction: number): void;
}

export interface SweepResult {
  points: Map<string, BenchPoint[]>;
  wrong: Map<string, string>;
  coldCache: ColdCache;
  pinning: string;
  loadClient: string;
  stoppedEarly: boolean;
}

/** Why the benchmark cannot run the user's code at all: exit 1, with this reason. */
export class Unrunnable extends Error {
  readonly kind = 'unrunnable';
}

export class Cancelled extends Error {
  readonly kind = 'cancelled';
}

const MIN_ROUNDS = 6;
const MAX_ROUNDS = 40;
/** Bytes of warm-up per variant and size, before any point of that size. */
const WARM_UP_BYTES = 16 << 20;
/** What one variant's share of a round may take. */
const MIN_ROUND_MS = 20;
const MAX_ROUND_MS = 500;
const MAX_TRANSFERS_EACH = 1024;
const TARGET_HALF_WIDTH = 0.05;

interface Round {
  round: number;
  throughput: number;
  latencies: number[];
  cpuSecondsPerGB: number;
  peakRss: number;
  methods: Record<string, number>;
}

interface Running {
  plan: VariantPlan;
  child: Child;
  port: number;
  wrong?: string;
}

export async function sweep(plans: readonly VariantPlan[], options: SweepOptions): Promise<SweepResult> {
  // The budget is for the rounds: start-up, files, verification and warm-up come on top (and
  // are in the report's elapsed time). `measuringMs` is the rounds' time so far.
  let measuringMs = 0;
  const left = (): number => options.timeBudgetMs - measuringMs;
  const fraction = (): number => Math.min(0.99, measuringMs / options.timeBudgetMs);
  const pin = pinning();
  const probe = generateFile(options.dir, 4096);
  const coldCache = coldCacheSupport(probe.path);
  const caches: CacheState[] = coldCache.available ? ['warm', 'cold'] : ['warm'];
  const result: SweepResult = { points: new Map(plans.map((p) => [p.name, []])), wrong: new Map(), coldCache, pinning: pin.description, loadClient: loadClientDescription(protocolOf(options.server), options.runtimePath), stoppedEarly: false };
  const startedAt = Date.now();
  const limitLeft = (): number => (options.timeLimitMs === undefined ? Infinity : options.timeLimitMs - (Date.now() - startedAt));
  const LIMIT_REASON = 'the time limit was reached before this point';
  const checkCancel = (): void => {
    if (options.signal.aborted) throw new Cancelled('cancelled');
  };

  // The run folder in its arguments makes every process of a run findable (tests look for leftovers by it).
  const load = new Child(childScript('load'), [options.dir], pin.cores?.[1], { ZEROCOPY_BENCH_RUNTIME: options.runtimePath });
  const running: Running[] = [];
  try {
    // One serving process per variant, all started at once: an idle one costs nothing.
    options.progress(`starting ${plans.length} serving processes`, 0);
    const serveScript = childScript('serve');
    await Promise.all(
      plans.map(async (plan, index) => {
        const harness = join(options.dir, `variant-${index}.mjs`);
        writeFileSync(harness, plan.source);
        const child = new Child(serveScript, [harness, options.server, ...(options.frameworkPath ? [options.frameworkPath] : [])], pin.cores?.[0], { ZEROCOPY_BENCH_RUNTIME: options.runtimePath });
        try {
          const ready = await child.ask<{ port: number }>('ready', undefined, 30_000);
          running.push({ plan, child, port: ready.port });
        } catch (error) {
          child.kill();
          const reason = `could not start: ${(error as Error).message}`;
          if (plan.kind === 'as-written') throw new Unrunnable(`as written, the code ${reason}`);
          result.wrong.set(plan.name, reason);
        }
      }),
    );
    running.sort((a, b) => plans.indexOf(a.plan) - plans.indexOf(b.plan));
    checkCancel();

    const pointsTotal = options.sizes.length * options.concurrency.length * caches.length;
    let pointsDone = 0;
    let previousFile: GeneratedFile | undefined;
    const skipAll = (size: number, reason: string): void => {
      for (const concurrency of options.concurrency) {
        for (const cache of caches) {
          pointsDone++;
          for (const r of running) if (!r.wrong) result.points.get(r.plan.name)!.push({ ...emptyPoint(size, concurrency, cache), verified: false, rounds: 0, skipped: reason });
        }
      }
    };
    for (const size of options.sizes) {
      checkCancel();
      if (limitLeft() <= 0) {
        result.stoppedEarly = true;
        skipAll(size, LIMIT_REASON);
        continue;
      }
      options.progress(`generating a ${formatSize(size)} file`, fraction());
      const file = generateFile(options.dir, size);
      if (previousFile) removeQuietly(previousFile.path);
      previousFile = file;
      for (const r of running) await r.child.ask('fileSet', { type: 'setFile', path: file.path }, 10_000);

      // Verification: one transfer each, hashed at the receiver.
      const transferMs = new Map<Running, number>();
      let expected: { offset: number; length: number; sha256: string } | undefined;
      for (const r of running.filter((x) => !x.wrong)) {
        checkCancel();
        if (limitLeft() <= 0) break;
        options.progress(`${formatSize(size)}: checking the bytes ${r.plan.name} sends`, fraction());
        const errorsBefore = r.child.errors.length;
        const reply = await runAgainst(load, r.child, { type: 'run', protocol: protocolOf(options.server), port: r.port, concurrency: 1, transfersEach: 1, verify: true, timeoutMs: transferTimeout(size) });
        const problem = reply.type === 'failed' ? reply.message : checkBody(reply.transfers[0]!, file, r.plan.kind === 'reference' ? undefined : expected, r.child.errors.slice(errorsBefore), r.plan.kind === 'as-written');
        if (typeof problem === 'string') {
          if (r.plan.kind === 'as-written') throw new Unrunnable(`as written, with the ${formatSize(size)} file, ${problem}`);
          r.wrong = `with the ${formatSize(size)} file, ${problem}`;
          result.wrong.set(r.plan.name, r.wrong);
          continue;
        }
        if (r.plan.kind === 'as-written') expected = problem;
        const t = (reply as Extract<LoadMessage, { type: 'result' }>).transfers[0]!;
        transferMs.set(r, t.ms);
        // Warm-up, not timed: code paths and connections of this size. Its pace sizes the rounds.
        const warm = Math.min(64, Math.ceil(WARM_UP_BYTES / size));
        if (warm > 1) {
          const warmed = await runLoad(load, { type: 'run', protocol: protocolOf(options.server), port: r.port, concurrency: 1, transfersEach: warm, verify: false, timeoutMs: transferTimeout(size) * warm });
          if (warmed.type === 'result') transferMs.set(r, warmed.elapsedMs / warm);
        }
      }

      if (limitLeft() <= 0) {
        result.stoppedEarly = true;
        skipAll(size, LIMIT_REASON);
        continue;
      }
      for (const concurrency of options.concurrency) {
        for (const cache of caches) {
          checkCancel();
          const label = `${formatSize(size)} × ${concurrency}, ${cache}`;
          const active = running.filter((r) => !r.wrong);
          const memoryCap = freemem() / 2;
          const skippedFor = new Map<Running, string>();
          for (const r of active) {
            if (r.plan.holdsWholeFile && concurrency * size > memoryCap) skippedFor.set(r, `would hold ${concurrency} × ${formatSize(size)} in memory at once, over half the free memory`);
          }
          const measured = active.filter((r) => !skippedFor.has(r));
          const pointsLeft = pointsTotal - pointsDone;
          const share = left() / Math.max(pointsLeft, 1);
          // A round takes each variant about share / (variants × MIN_ROUNDS): enough rounds for an
          // interval fit in the point's share. Whole transfers only: at least one per connection.
          const perVariantMs = Math.min(MAX_ROUND_MS, Math.max(MIN_ROUND_MS, share / Math.max(measured.length, 1) / MIN_ROUNDS));
          const slowest = Math.max(...measured.map((r) => transferMs.get(r) ?? 1));
          const transfersEach = cache === 'cold' ? 1 : Math.min(MAX_TRANSFERS_EACH, Math.max(1, Math.floor(perVariantMs / (slowest * concurrency))));
          const roundMs = measured.reduce((sum, r) => sum + (transferMs.get(r) ?? 1) * concurrency * transfersEach, 0);
          const rounds = new Map<Running, Round[]>(measured.map((r) => [r, []]));
          let skipReason: string | undefined;
          if (limitLeft() <= 0 || roundMs > limitLeft()) {
            skipReason = LIMIT_REASON;
            result.stoppedEarly = true;
          } else if (left() <= 0) skipReason = 'the time budget was used up before this point';
          else if (roundMs > left()) skipReason = `one round would take about ${(roundMs / 1000).toFixed(0)} s, more than the time budget has left (--time-budget)`;
          const pointStart = Date.now();
          for (let round = 0; !skipReason && round < MAX_ROUNDS; round++) {
            if (round >= MIN_ROUNDS && converged(rounds)) break;
            if (round >= 1 && Date.now() - pointStart >= share) break;
            if (round >= 1 && Date.now() - pointStart >= left()) break;
            if (round >= 1 && roundMs > limitLeft()) break;
            for (const r of rotate(measured, round)) {
              checkCancel();
              if (r.wrong) continue;
              if (cache === 'cold') evict(file.path);
              const usageBefore = await r.child.ask<Extract<ServeMessage, { type: 'usage' }>>('usage', { type: 'usage' }, 10_000);
              const errorsBefore = r.child.errors.length;
              const reply = await runAgainst(load, r.child, { type: 'run', protocol: protocolOf(options.server), port: r.port, concurrency, transfersEach, verify: false, timeoutMs: transferTimeout(size) * transfersEach * concurrency });
              const after = await r.child.ask<Extract<ServeMessage, { type: 'usage' }>>('usage', { type: 'usage' }, 10_000);
              const problem = reply.type === 'failed' ? reply.message : wrongLengths(reply.transfers, expectedLength(r, expected, file)) ?? (r.child.errors.length > errorsBefore ? r.child.errors.at(-1) : undefined);
              if (problem) {
                r.wrong = `${label}: ${problem}`;
                result.wrong.set(r.plan.name, r.wrong);
                if (r.plan.kind === 'as-written') throw new Unrunnable(`as written, ${r.wrong}`);
                continue;
              }
              const ok = reply as Extract<LoadMessage, { type: 'result' }>;
              const bytes = ok.transfers.reduce((s, t) => s + t.bytes, 0);
              rounds.get(r)!.push({
                round,
                throughput: bytes / (ok.elapsedMs / 1000),
                latencies: ok.transfers.map((t) => t.ms),
                cpuSecondsPerGB: (after.cpuMicros - usageBefore.cpuMicros) / 1e6 / (bytes / 1e9),
                peakRss: after.peakRssBytes,
                methods: after.methods,
              });
            }
            options.progress(`${label}: round ${round + 1}`, Math.min(0.99, (measuringMs + Date.now() - pointStart) / options.timeBudgetMs));
          }
          measuringMs += Date.now() - pointStart;
          pointsDone++;
          for (const plan of plans) {
            const r = running.find((x) => x.plan === plan);
            const list = result.points.get(plan.name)!;
            const base: Omit<BenchPoint, 'verified' | 'rounds'> = emptyPoint(size, concurrency, cache);
            if (!r || r.wrong) continue;
            const skipped = skipReason ?? skippedFor.get(r);
            if (skipped) {
              list.push({ ...base, verified: true, rounds: 0, skipped });
              continue;
            }
            list.push(summarise(base, rounds.get(r)!, rounds.get(running.find((x) => x.plan.kind === 'as-written')!) ?? [], r.plan.kind === 'as-written'));
          }
        }
      }
    }
    if (previousFile) removeQuietly(previousFile.path);
  } finally {
    load.kill();
    for (const r of running) r.child.kill();
  }
  return result;
}

function emptyPoint(sizeBytes: number, concurrency: number, cache: CacheState): Omit<BenchPoint, 'verified' | 'rounds'> {
  return { sizeBytes, concurrency, cache, throughputBytesPerSec: null, throughputInterval: null, latencyMs: null, cpuSecondsPerGB: null, peakRssBytes: null, speedupVsAsWritten: null, verdict: null };
}

function summarise(base: Omit<BenchPoint, 'verified' | 'rounds'>, rounds: Round[], baseline: Round[], isBaseline: boolean): BenchPoint {
  if (rounds.length === 0) return { ...base, verified: true, rounds: 0, skipped: 'no round finished within the time budget' };
  const throughputs = rounds.map((r) => r.throughput);
  const interval = medianInterval(throughputs);
  const latencies = rounds.flatMap((r) => r.latencies);
  const point: BenchPoint = {
    ...base,
    verified: true,
    rounds: rounds.length,
    throughputBytesPerSec: median(throughputs),
    throughputInterval: { low: interval.low, high: interval.high },
    latencyMs: { median: median(latencies), p95: quantile(latencies, 0.95) },
    cpuSecondsPerGB: median(rounds.map((r) => r.cpuSecondsPerGB)),
    peakRssBytes: Math.max(...rounds.map((r) => r.peakRss)),
  };
  const methods: Record<string, number> = {};
  for (const r of rounds) for (const [m, n] of Object.entries(r.methods)) methods[m] = (methods[m] ?? 0) + n;
  if (Object.keys(methods).length > 0) point.runtimeMethods = methods;
  if (!isBaseline) {
    const ratios = rounds.flatMap((r) => {
      const b = baseline.find((x) => x.round === r.round);
      return b ? [r.throughput / b.throughput] : [];
    });
    if (ratios.length > 0) {
      const ri = medianInterval(ratios);
      point.speedupVsAsWritten = { median: median(ratios), low: ri.low, high: ri.high };
      // One round is no interval: it tells nothing about whether the difference is real.
      if (ratios.length >= 2) point.verdict = ri.low > 1 ? 'faster' : ri.high < 1 ? 'slower' : 'no measurable difference';
    }
  }
  return point;
}

function converged(rounds: Map<Running, Round[]>): boolean {
  for (const list of rounds.values()) {
    const values = list.map((r) => r.throughput);
    if (values.length < MIN_ROUNDS) return false;
    const m = median(values);
    const { low, high } = medianInterval(values);
    if (low < m * (1 - TARGET_HALF_WIDTH) || high > m * (1 + TARGET_HALF_WIDTH)) return false;
  }
  return true;
}

function rotate<T>(list: readonly T[], by: number): T[] {
  if (list.length === 0) return [];
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

/** Generous: a transfer slower than 20 MB/s is a fault, not a measurement. */
function transferTimeout(size: number): number {
  return 10_000 + Math.ceil(size / 20e6) * 1000;
}

async function runLoad(load: Child, request: LoadRequest): Promise<LoadMessage> {
  return load.ask<LoadMessage>(['result', 'failed'], request, request.timeoutMs + 5_000).catch((error: Error) => ({ type: 'failed', message: `the load client: ${error.message}` }) as LoadMessage);
}

/**
 * A load run against one serving process; when that process reports that the code threw (a real
 * server would have crashed, and the request will never be answered), the run is aborted at
 * once and fails with what the code threw.
 */
async function runAgainst(load: Child, server: Child, request: LoadRequest): Promise<LoadMessage> {
  let onError: ((message: string) => void) | undefined;
  const threw = new Promise<string>((resolve) => {
    onError = resolve;
    server.events.once('error-message', onError);
  });
  const run = runLoad(load, request);
  try {
    const first = await Promise.race([run, threw]);
    if (typeof first !== 'string') return first;
    load.process.send({ type: 'abort' });
    await run;
    return { type: 'failed', message: `the code ${first}` };
  } finally {
    server.events.removeListener('error-message', onError!);
  }
}

/**
 * What a variant sent, checked: a 2xx status over HTTP, and bytes that are the file's — the whole
 * of it, or (for the user's code, which may send a range) a contiguous range of it. Returns the
 * range it sent, or why it is wrong.
 */
function checkBody(t: TransferResult, file: GeneratedFile, expected: { offset: number; length: number; sha256: string } | undefined, errors: string[], mayBeRange: boolean): { offset: number; length: number; sha256: string } | string {
  if (errors.length > 0) return `the code ${errors[0]}`;
  if (t.status !== 0 && (t.status < 200 || t.status > 299)) return `the server answered ${t.status}, not the file`;
  if (t.bytes === 0) return 'no bytes arrived';
  if (expected) {
    if (t.bytes !== expected.length || t.sha256 !== expected.sha256) return `it sent ${describeBytes(t, file)}, not what the code as written sends (${expected.length} bytes from offset ${expected.offset})`;
    return expected;
  }
  if (t.bytes === file.size && t.sha256 === file.sha256) return { offset: 0, length: file.size, sha256: file.sha256 };
  if (mayBeRange) {
    const offset = offsetOf(file.path, Buffer.from(t.head ?? '', 'base64'));
    if (offset >= 0 && offset + t.bytes <= file.size && rangeHash(file.path, offset, t.bytes) === t.sha256) return { offset, length: t.bytes, sha256: t.sha256! };
  }
  return `it sent ${describeBytes(t, file)}, not the file's ${file.size} bytes`;
}

function describeBytes(t: TransferResult, file: GeneratedFile): string {
  const head = Buffer.from(t.head ?? '', 'base64');
  const offset = offsetOf(file.path, head);
  if (offset < 0) return `${t.bytes} bytes that are not the file's`;
  if (offset + t.bytes <= file.size && rangeHash(file.path, offset, t.bytes) === t.sha256) return `${t.bytes} bytes of the file from offset ${offset}`;
  return `${t.bytes} bytes that start as the file's (offset ${offset}) and then differ`;
}

function expectedLength(r: Running, expected: { length: number } | undefined, file: GeneratedFile): number {
  return r.plan.kind === 'reference' || !expected ? file.size : expected.length;
}

function wrongLengths(transfers: TransferResult[], length: number): string | undefined {
  const bad = transfers.find((t) => t.bytes !== length || (t.status !== 0 && (t.status < 200 || t.status > 299)));
  return bad ? `a transfer brought ${bad.bytes} bytes${bad.status ? ` (status ${bad.status})` : ''} instead of ${length}` : undefined;
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // the run folder goes at the end anyway
  }
}
