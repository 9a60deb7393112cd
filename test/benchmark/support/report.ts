/**
 * What every benchmark report must be, whatever the machine measured: the shape docs/bench.md
 * documents, verified bytes, and numbers that agree with each other. Never the timings
 * themselves.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import type { BenchReport } from '../../../server/src/protocol/benchReport';

export const REFERENCE_NAMES = ['sendFile', 'pipeline(createReadStream)', 'mapFile + write', 'readFile + write'];

export function assertReportShape(report: BenchReport, sizes: number[], concurrency: number[]): void {
  assert.equal(report.formatVersion, 1);
  assert.equal(report.tool.name, 'zerocopy');
  for (const key of ['file', 'line', 'column', 'rule', 'recommendation'] as const) assert.ok(report.finding[key] !== undefined, `finding.${key}`);
  const e = report.environment;
  for (const key of ['cpu', 'cores', 'memoryBytes', 'platform', 'kernel', 'node', 'runtime', 'pinning', 'coldCache', 'sink', 'loadClient', 'loadAverage', 'timeBudgetSeconds', 'elapsedSeconds', 'stoppedEarly'] as const) {
    assert.ok(e[key] !== undefined, `environment.${key}`);
  }
  assert.equal(e.node, process.version);
  assert.equal(typeof e.runtime.addon, 'boolean');
  const caches = e.coldCache.available ? ['warm', 'cold'] : ['warm'];

  assert.equal(report.variants[0]!.kind, 'as-written');
  assert.deepEqual(report.variants.filter((v) => v.kind === 'reference').map((v) => v.name), REFERENCE_NAMES);
  for (const v of report.variants) {
    assert.ok(v.name && v.description && typeof v.code === 'string', `${v.name}: name, description, code`);
    assert.ok(Array.isArray(v.dropped) && Array.isArray(v.bound));
    for (const d of v.dropped) assert.ok(d.file && d.line > 0 && d.text && d.reason, `${v.name}: a dropped statement says where, what and why`);
    assert.ok(v.bound.some((b) => b.to === 'the generated file'), `${v.name}: the file is bound`);
    if (v.wrong) {
      assert.deepEqual(v.points, [], `${v.name} is wrong and not timed`);
      continue;
    }
    assert.equal(v.points.length, sizes.length * concurrency.length * caches.length, `${v.name}: a point per size, concurrency and cache state`);
    for (const size of sizes) for (const c of concurrency) for (const cache of caches) {
      const p = v.points.find((x) => x.sizeBytes === size && x.concurrency === c && x.cache === cache);
      assert.ok(p, `${v.name}: point ${size}/${c}/${cache}`);
      if (p.skipped) {
        assert.equal(p.rounds, 0);
        continue;
      }
      assert.equal(p.verified, true, 'bytes verified before timing');
      assert.ok(p.rounds >= 1);
      assert.ok(p.throughputBytesPerSec! > 0);
      assert.ok(p.throughputInterval!.low <= p.throughputBytesPerSec! && p.throughputBytesPerSec! <= p.throughputInterval!.high);
      assert.ok(p.latencyMs!.median > 0 && p.latencyMs!.median <= p.latencyMs!.p95);
      assert.ok(p.cpuSecondsPerGB! >= 0);
      assert.ok(p.peakRssBytes! > 10e6, 'a Node process holds more than 10 MB');
      if (v.kind === 'as-written') {
        assert.equal(p.speedupVsAsWritten, null);
        assert.equal(p.verdict, null);
      } else {
        const s = p.speedupVsAsWritten!;
        assert.ok(s.low <= s.median && s.median <= s.high);
        assert.equal(p.verdict, p.rounds < 2 ? null : s.low > 1 ? 'faster' : s.high < 1 ? 'slower' : 'no measurable difference');
      }
    }
    if (v.kind !== 'as-written') assert.ok(Array.isArray(v.startsToWin));
  }
}

/** Neovim's LSP client decodes JSON nulls inside objects as nothing: the report's null fields, back. */
export function withNulls(report: BenchReport): BenchReport {
  const keys = ['throughputBytesPerSec', 'throughputInterval', 'latencyMs', 'cpuSecondsPerGB', 'peakRssBytes', 'speedupVsAsWritten', 'verdict'] as const;
  for (const v of report.variants) {
    for (const p of v.points) for (const k of keys) if (p[k] === undefined) (p as unknown as Record<string, null>)[k] = null;
    for (const w of v.startsToWin ?? []) if (w.sizeBytes === undefined) w.sizeBytes = null;
  }
  return report;
}

/** Processes whose command line names `text` (the run folder is in every benchmark child's arguments). */
export function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(text)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
