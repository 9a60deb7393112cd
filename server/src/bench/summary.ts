/** What the points of a variant say together: the size from which it wins over the code as written. */
import type { BenchPoint, BenchVariant, CacheState } from '../protocol/benchReport';

/**
 * Per concurrency and cache state: the smallest size from which the variant is measurably faster
 * than as written at that size and every larger one measured; null when it is not faster at the
 * largest size.
 */
export function startsToWin(points: readonly BenchPoint[]): NonNullable<BenchVariant['startsToWin']> {
  const out: NonNullable<BenchVariant['startsToWin']> = [];
  const keys = new Map<string, { concurrency: number; cache: CacheState }>();
  for (const p of points) keys.set(`${p.concurrency}/${p.cache}`, { concurrency: p.concurrency, cache: p.cache });
  for (const { concurrency, cache } of keys.values()) {
    const measured = points.filter((p) => p.concurrency === concurrency && p.cache === cache && p.verdict !== null).sort((a, b) => a.sizeBytes - b.sizeBytes);
    let from: number | null = null;
    for (let i = measured.length - 1; i >= 0; i--) {
      if (measured[i]!.verdict !== 'faster') break;
      from = measured[i]!.sizeBytes;
    }
    out.push({ concurrency, cache, sizeBytes: from });
  }
  return out;
}
