/** Where a rewrite starts to win: the smallest size from which it is faster at every larger size measured. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BenchPoint } from '../../server/src/protocol/benchReport';
import { startsToWin } from '../../server/src/bench/summary';

function point(sizeBytes: number, verdict: BenchPoint['verdict'], concurrency = 1, cache: BenchPoint['cache'] = 'warm'): BenchPoint {
  return { sizeBytes, concurrency, cache, verified: true, rounds: 6, throughputBytesPerSec: 1, throughputInterval: { low: 1, high: 1 }, latencyMs: { median: 1, p95: 1 }, cpuSecondsPerGB: 1, peakRssBytes: 1, speedupVsAsWritten: { median: 1, low: 1, high: 1 }, verdict };
}

test('from the first size of an unbroken run of wins up to the largest; none when the largest is not a win', () => {
  const K = 1024;
  const points = [
    point(64 * K, 'faster'),
    point(1024 * K, 'no measurable difference'),
    point(16384 * K, 'faster'),
    point(262144 * K, 'faster'),
    point(64 * K, 'faster', 16),
    point(1024 * K, 'faster', 16),
    point(64 * K, 'faster', 1, 'cold'),
    point(1024 * K, 'slower', 1, 'cold'),
  ];
  assert.deepEqual(startsToWin(points), [
    { concurrency: 1, cache: 'warm', sizeBytes: 16384 * K },
    { concurrency: 16, cache: 'warm', sizeBytes: 64 * K },
    { concurrency: 1, cache: 'cold', sizeBytes: null },
  ]);
});

test('skipped points (no verdict) neither win nor break a run', () => {
  const skipped = { ...point(1 << 20, null), skipped: 'budget' };
  assert.deepEqual(startsToWin([point(64 << 10, 'faster'), skipped, point(16 << 20, 'faster')]), [{ concurrency: 1, cache: 'warm', sizeBytes: 64 << 10 }]);
});
