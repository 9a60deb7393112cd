/**
 * The report as people read it: a header (the finding, the environment, what was bound, dropped
 * and assumed), one table per point, and where each rewrite starts to win. Rendered as aligned
 * text for the terminal (`zerocopy bench`) or as Markdown ("Copy as Markdown" in VS Code).
 */
import type { BenchPoint, BenchReport, BenchVariant } from '../../protocol/benchReport';

export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 30 && bytes % (1 << 30) === 0) return `${bytes / (1 << 30)} GiB`;
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1 << 10 && bytes % (1 << 10) === 0) return `${bytes / (1 << 10)} KiB`;
  return `${bytes} B`;
}

function rate(bytesPerSec: number | null): string {
  if (bytesPerSec === null) return '–';
  if (bytesPerSec >= 1e9) return `${(bytesPerSec / 1e9).toFixed(2)} GB/s`;
  return `${(bytesPerSec / 1e6).toFixed(0)} MB/s`;
}

function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function memory(bytes: number | null): string {
  return bytes === null ? '–' : `${Math.round(bytes / 1e6)} MB`;
}

/** "2.84× (2.70–2.99) faster", "no measurable difference (0.97–1.04)". */
export function speedupText(point: BenchPoint): string {
  const s = point.speedupVsAsWritten;
  if (!s) return '–';
  const interval = point.rounds > 1 ? ` (${s.low.toFixed(2)}–${s.high.toFixed(2)})` : '';
  if (point.verdict === 'no measurable difference') return `no measurable difference${interval}`;
  if (point.verdict === null) return `${s.median.toFixed(2)}× (one round: no interval)`;
  return `${s.median.toFixed(2)}×${interval} ${point.verdict}`;
}

const HEADER = ['variant', 'throughput', 'latency p50 / p95', 'CPU s/GB', 'peak RSS', 'rounds', 'vs as written'];

function row(variant: BenchVariant, point: BenchPoint | undefined): string[] {
  if (!point) return [variant.name, variant.wrong ? `wrong: ${variant.wrong}` : '–', '', '', '', '', ''];
  if (point.skipped) return [variant.name, `skipped: ${point.skipped}`, '', '', '', '0', ''];
  return [
    variant.name,
    rate(point.throughputBytesPerSec),
    point.latencyMs ? `${ms(point.latencyMs.median)} / ${ms(point.latencyMs.p95)} ms` : '–',
    point.cpuSecondsPerGB === null ? '–' : point.cpuSecondsPerGB.toFixed(2),
    memory(point.peakRssBytes),
    String(point.rounds),
    variant.kind === 'as-written' ? 'baseline' : speedupText(point),
  ];
}

interface PointKey {
  sizeBytes: number;
  concurrency: number;
  cache: string;
}

function pointKeys(report: BenchReport): PointKey[] {
  const keys = new Map<string, PointKey>();
  for (const v of report.variants) for (const p of v.points) keys.set(`${p.sizeBytes}/${p.concurrency}/${p.cache}`, { sizeBytes: p.sizeBytes, concurrency: p.concurrency, cache: p.cache });
  return [...keys.values()];
}

function pointTitle(k: PointKey): string {
  return `${formatBytes(k.sizeBytes)}, ${k.concurrency} ${k.concurrency === 1 ? 'connection' : 'connections'} at once, ${k.cache} page cache`;
}

function headerLines(report: BenchReport): string[] {
  const e = report.environment;
  const f = report.finding;
  const asWritten = report.variants.find((v) => v.kind === 'as-written');
  const lines = [
    `Benchmark of ${f.file}:${f.line}:${f.column} (${f.rule}, recommends ${f.recommendation})`,
    `Sink: ${e.sink}. ${e.pinning}. Cold cache: ${e.coldCache.method}.`,
    ...(e.loadClient ? [`Load client: ${e.loadClient}.`] : []),
    `Machine: ${e.cores} × ${e.cpu}, ${Math.round(e.memoryBytes / 2 ** 30)} GiB, ${e.platform} ${e.kernel}, Node ${e.node}, load average ${e.loadAverage.join(' ')}.`,
    `Runtime: zerocopy ${e.runtime.version}, ${e.runtime.addon ? 'addon loaded' : `addon not loaded (${e.runtime.reason}): sendFile streams`}. ${e.elapsedSeconds} s in all, ${e.timeBudgetSeconds} s of it for the rounds${e.stoppedEarly ? ', stopped early' : ''}.`,
  ];
  if (asWritten) {
    lines.push('', `As written: ${asWritten.description}.`);
    for (const b of asWritten.bound) lines.push(`  bound: ${b.name} → ${b.to}`);
    for (const d of asWritten.dropped) lines.push(`  dropped: ${d.file}:${d.line}  ${d.text}  (${d.reason})`);
  }
  for (const note of report.notes) lines.push(`  ${note}`);
  for (const v of report.variants) if (v.wrong) lines.push(`  ${v.name} is wrong, not timed: ${v.wrong}`);
  return lines;
}

function winLines(report: BenchReport): string[] {
  const out: string[] = [];
  for (const v of report.variants) {
    if (v.kind === 'as-written' || !v.startsToWin || v.wrong) continue;
    const parts = v.startsToWin.map((w) => `${w.sizeBytes === null ? 'not at the sizes measured' : `from ${formatBytes(w.sizeBytes)}`} (${w.concurrency} at once, ${w.cache})`);
    out.push(`${v.name} wins over as written: ${parts.join('; ')}`);
  }
  return out;
}

function methodLines(report: BenchReport): string[] {
  const out: string[] = [];
  for (const v of report.variants) {
    const methods: Record<string, number> = {};
    for (const p of v.points) for (const [m, n] of Object.entries(p.runtimeMethods ?? {})) methods[m] = (methods[m] ?? 0) + n;
    if (Object.keys(methods).length > 0) out.push(`${v.name}: the runtime used ${Object.entries(methods).map(([m, n]) => `${m} (${n})`).join(', ')}`);
  }
  return out;
}

/** When every variant skipped a point for the same reason: that reason, said once. */
function skippedAll(report: BenchReport, key: PointKey): string | undefined {
  const reasons = new Set(report.variants.filter((v) => !v.wrong).map((v) => pointOf(v, key)?.skipped));
  const [only] = reasons;
  return reasons.size === 1 && only ? only : undefined;
}

function pointOf(v: BenchVariant, key: PointKey): BenchPoint | undefined {
  return v.points.find((p) => p.sizeBytes === key.sizeBytes && p.concurrency === key.concurrency && p.cache === key.cache);
}

export function formatBenchText(report: BenchReport): string {
  const out = headerLines(report);
  for (const key of pointKeys(report)) {
    const skipped = skippedAll(report, key);
    if (skipped) {
      out.push('', pointTitle(key), `  skipped: ${skipped}`);
      continue;
    }
    const rows = [HEADER, ...report.variants.map((v) => row(v, v.points.find((p) => p.sizeBytes === key.sizeBytes && p.concurrency === key.concurrency && p.cache === key.cache)))];
    const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    out.push('', pointTitle(key));
    for (const r of rows) out.push(`  ${r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}`);
  }
  const wins = winLines(report);
  const methods = methodLines(report);
  if (wins.length || methods.length) out.push('', ...wins, ...methods);
  out.push('', 'Throughput and CPU: medians over rounds; intervals: 95 % confidence of the median (order statistics; min–max under 6 rounds).', '');
  return out.join('\n');
}

export function formatBenchMarkdown(report: BenchReport): string {
  const out = headerLines(report).map((l) => (l.startsWith('  ') ? `- ${l.trim()}` : l));
  for (const key of pointKeys(report)) {
    const skipped = skippedAll(report, key);
    if (skipped) {
      out.push('', `**${pointTitle(key)}**: skipped, ${skipped}`);
      continue;
    }
    out.push('', `**${pointTitle(key)}**`, '', `| ${HEADER.join(' | ')} |`, `| ${HEADER.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`);
    for (const v of report.variants) {
      const cells = row(v, v.points.find((p) => p.sizeBytes === key.sizeBytes && p.concurrency === key.concurrency && p.cache === key.cache));
      out.push(`| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
    }
  }
  const wins = winLines(report);
  const methods = methodLines(report);
  if (wins.length || methods.length) out.push('', ...[...wins, ...methods].map((l) => `- ${l}`));
  out.push('', '_Throughput and CPU: medians over rounds; intervals: 95 % confidence of the median (order statistics; min–max under 6 rounds)._', '');
  return out.join('\n');
}
