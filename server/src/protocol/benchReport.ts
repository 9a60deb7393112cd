/**
 * The benchmark's result: one JSON object (`zerocopy bench --json`, the LSP command's result, the
 * VS Code view's "Save JSON"). docs/bench.md documents every field; fields are only ever added.
 * Pure data, shared by the server (server/src/bench makes it) and the client (which shows it).
 */

export const BENCH_FORMAT_VERSION = 1;

export type VariantKind = 'as-written' | 'fix' | 'reference';
export type CacheState = 'warm' | 'cold';

/** A statement of the user's code left out of a variant, and why. */
export interface DroppedStatement {
  file: string;
  /** 1-based, as `zerocopy check` prints it. */
  line: number;
  /** The statement's text, shortened to one line. */
  text: string;
  reason: string;
}

/** What the benchmark put in place of something of the user's code (the file, the sink). */
export interface Binding {
  /** The user's expression or name. */
  name: string;
  /** What it is bound to: "the generated file", "the response of a real http server on 127.0.0.1". */
  to: string;
}

export interface Interval {
  median: number;
  low: number;
  high: number;
}

export interface BenchPoint {
  sizeBytes: number;
  concurrency: number;
  cache: CacheState;
  /** The bytes received were checked (length and SHA-256) before any timing. */
  verified: boolean;
  /** Timed rounds; 0 when the point was skipped (see `skipped`). */
  rounds: number;
  /** Bytes of body per second, median over rounds; null when not measured. */
  throughputBytesPerSec: number | null;
  /** The median's 95 % confidence interval (order statistics; min–max under 6 rounds). */
  throughputInterval: { low: number; high: number } | null;
  /** Per transfer, request sent to last body byte received, over every timed transfer. */
  latencyMs: { median: number; p95: number } | null;
  /** CPU time (user + system) of the serving process per GB of body, median over rounds. */
  cpuSecondsPerGB: number | null;
  /** The serving process's largest resident set seen during the point. */
  peakRssBytes: number | null;
  /** Throughput over as-written's in the same round: median and its interval; null for as-written itself. */
  speedupVsAsWritten: Interval | null;
  /** "faster", "slower", or "no measurable difference" (the interval holds 1); null for as-written, and from fewer than two rounds. */
  verdict: 'faster' | 'slower' | 'no measurable difference' | null;
  /** How `zerocopy`'s sendFile/mapFile carried the bytes in this point (counts per method), when the variant calls them. */
  runtimeMethods?: Record<string, number>;
  /** Why the point was not measured (time budget, memory), when it was not. */
  skipped?: string;
}

export interface BenchVariant {
  name: string;
  kind: VariantKind;
  /** One line on what it is: the fix's title, the reference's code. */
  description: string;
  /** The code that runs (generated harness module, the part that is the user's). */
  code: string;
  dropped: DroppedStatement[];
  bound: Binding[];
  /** Set when the variant sent wrong bytes (or none): it is then not timed. */
  wrong?: string;
  points: BenchPoint[];
  /** Per concurrency and cache state: the smallest size from which the variant is measurably faster than as-written at every larger size measured. */
  startsToWin?: Array<{ concurrency: number; cache: CacheState; sizeBytes: number | null }>;
}

export interface BenchEnvironment {
  cpu: string;
  cores: number;
  memoryBytes: number;
  platform: string;
  kernel: string;
  node: string;
  /** The bundled `zerocopy` runtime: whether its addon loaded (else it streams), and from where. */
  runtime: { version: string; addon: boolean; reason?: string };
  /** Where the serving process and the load client ran: pinned to separate cores with taskset, or not (and why). */
  pinning: string;
  /** How the page cache was emptied for `cold` points, or why cold points were not measured. */
  coldCache: { available: boolean; method: string };
  /** The sink the transfer was bound to: "http server + client on 127.0.0.1", … */
  sink: string;
  /** What made the requests and timed the transfers (absent in reports of versions before it was said). */
  loadClient?: string;
  loadAverage: number[];
  timeBudgetSeconds: number;
  elapsedSeconds: number;
  /** True when the run was stopped (cancelled, or its time limit) before the sweep's end. */
  stoppedEarly: boolean;
}

export interface BenchReport {
  formatVersion: typeof BENCH_FORMAT_VERSION;
  tool: { name: 'zerocopy'; version: string };
  finding: { file: string; line: number; column: number; rule: string; recommendation: string };
  environment: BenchEnvironment;
  variants: BenchVariant[];
  /** Fixes the fix engine offered no rewrite for, or that could not be made runnable, with why. */
  notes: string[];
}
