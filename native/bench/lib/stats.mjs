// Medians, and confidence intervals for them, over benchmark rounds.
export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** How `interval` is described under a table. */
export const INTERVAL_NOTE = 'a 95% confidence interval for that median from order statistics (min–max with 2–5 rounds, which is less sure; none from one round)';

/**
 * A distribution-free confidence interval for the median: order statistics
 * [x(j), x(n+1-j)] with the largest j whose coverage, 1 - 2 P(Binomial(n, 1/2) < j),
 * is at least `confidence`. With fewer than 6 values none reaches 95%: the
 * interval is then min–max, and `coverage` says how sure it is.
 */
export function medianInterval(values, confidence = 0.95) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { low: NaN, high: NaN, coverage: 0 };
  // P(Binomial(n, 1/2) = k), stepped in logarithms so that large n does not underflow.
  let logPmf = -n * Math.LN2;
  let below = Math.exp(logPmf); // P(Binomial(n, 1/2) <= j - 1)
  let j = 1;
  let coverage = 1 - 2 * below;
  while (j + 1 <= (n + 1) / 2) {
    logPmf += Math.log((n - j + 1) / j);
    const next = 1 - 2 * (below + Math.exp(logPmf));
    if (next < confidence) break;
    below += Math.exp(logPmf);
    j++;
    coverage = next;
  }
  return { low: sorted[j - 1], high: sorted[n - j], coverage };
}

/** "1.04× (0.92–1.13)": the median ratio and its `medianInterval` (none from a single round). */
export function ratioText(values) {
  const finite = values.filter((v) => Number.isFinite(v));
  const { low, high } = medianInterval(finite);
  const text = `${median(finite).toFixed(2)}×`;
  return finite.length < 2 ? text : `${text} (${low.toFixed(2)}–${high.toFixed(2)})`;
}

export function formatSize(bytes) {
  if (bytes >= 1 << 30) return `${bytes / (1 << 30)} GiB`;
  if (bytes >= 1 << 20) return `${bytes / (1 << 20)} MiB`;
  return `${bytes / 1024} KiB`;
}

export function markdownTable(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}
