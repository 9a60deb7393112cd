/**
 * The statistics of `zerocopy bench`: the same medians and order-statistic confidence intervals
 * as `npm run bench:runtime` — one implementation, native/bench/lib/stats.mjs, which esbuild
 * bundles into dist/ (scripts/build.mjs) and compiled tests load with require() of ES modules.
 */
export { median, medianInterval, formatSize } from 'zerocopy/bench/lib/stats.mjs';

/** The p-th quantile (0–1) by the nearest-rank method; NaN for no values. */
export function quantile(values: readonly number[], p: number): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
