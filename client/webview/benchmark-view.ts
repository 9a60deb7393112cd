/**
 * The results view's script (bundled with Chart.js into dist/benchmark-view.js; it runs in the
 * webview, never in the extension host). It reads the report the page carries as data and draws:
 * the charts (throughput against size per variant, CPU per GB, peak memory) for the chosen
 * concurrency and cache state, the table of every point, what was bound and dropped, the
 * environment, and the buttons that ask the extension to apply a fix, copy Markdown or save JSON.
 * Text from the report only ever goes into the page as text (no HTML is built from it). The
 * charts take their colours from the theme and are drawn again when it changes.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LineController, LineElement, LinearScale, PointElement, Title, Tooltip } from 'chart.js';
import type { BenchPoint, BenchReport, BenchVariant } from '../../server/src/protocol';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Legend, Title, Tooltip);

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();
const report = JSON.parse(document.getElementById('report')!.textContent!) as BenchReport;

type Child = Node | string | null | undefined | false;
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

function size(bytes: number): string {
  if (bytes >= 1 << 30 && bytes % (1 << 30) === 0) return `${bytes / (1 << 30)} GiB`;
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1 << 10 && bytes % (1 << 10) === 0) return `${bytes / (1 << 10)} KiB`;
  return `${bytes} B`;
}
const rate = (v: number | null): string => (v === null ? '–' : v >= 1e9 ? `${(v / 1e9).toFixed(2)} GB/s` : `${(v / 1e6).toFixed(0)} MB/s`);
const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

function speedup(p: BenchPoint): string {
  const s = p.speedupVsAsWritten;
  if (!s) return '–';
  const interval = p.rounds > 1 ? ` (${s.low.toFixed(2)}–${s.high.toFixed(2)})` : '';
  if (p.verdict === null) return `${s.median.toFixed(2)}× (one round: no interval)`;
  return p.verdict === 'no measurable difference' ? `no measurable difference${interval}` : `${s.median.toFixed(2)}×${interval} ${p.verdict}`;
}

const sizes = [...new Set(report.variants.flatMap((v) => v.points.map((p) => p.sizeBytes)))].sort((a, b) => a - b);
const concurrencies = [...new Set(report.variants.flatMap((v) => v.points.map((p) => p.concurrency)))].sort((a, b) => a - b);
const caches = [...new Set(report.variants.flatMap((v) => v.points.map((p) => p.cache)))];
const state = { concurrency: concurrencies[0] ?? 1, cache: caches[0] ?? 'warm' };
const pointOf = (v: BenchVariant, s: number): BenchPoint | undefined => v.points.find((p) => p.sizeBytes === s && p.concurrency === state.concurrency && p.cache === state.cache);

// ---- charts ----
// The theme's chart colours, the six most unlike each other first; references are dashed besides.
const PALETTE = ['--vscode-charts-blue', '--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-purple', '--vscode-charts-orange', '--vscode-charts-foreground'];
const css = (name: string, fallback: string): string => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
const charts: Chart[] = [];

function chartCard(id: string): HTMLElement {
  return el('div', { class: 'chart' }, el('canvas', { id, role: 'img' }));
}

function drawCharts(): void {
  for (const c of charts.splice(0)) c.destroy();
  const foreground = css('--vscode-charts-foreground', css('--vscode-foreground', '#888'));
  const grid = css('--vscode-charts-lines', 'rgba(128,128,128,0.3)');
  const measured = report.variants.filter((v) => !v.wrong);
  const colour = (i: number): string => css(PALETTE[i % PALETTE.length]!, '#888');
  const series = (value: (p: BenchPoint) => number | null) =>
    measured.map((v, i) => ({
      label: v.name,
      data: sizes.map((s) => {
        const p = pointOf(v, s);
        return p && !p.skipped ? value(p) : null;
      }),
      borderColor: colour(i),
      backgroundColor: colour(i),
      borderDash: v.kind === 'reference' ? [6, 4] : [],
      borderWidth: v.kind === 'as-written' ? 3 : 2,
      spanGaps: true,
    }));
  const options = (title: string, unit: string) => ({
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    color: foreground,
    plugins: { title: { display: true, text: title, color: foreground }, legend: { labels: { color: foreground, boxWidth: 12 } } },
    scales: {
      x: { title: { display: true, text: 'file size', color: foreground }, ticks: { color: foreground }, grid: { color: grid } },
      y: { beginAtZero: true, title: { display: true, text: unit, color: foreground }, ticks: { color: foreground }, grid: { color: grid } },
    },
  });
  const labels = sizes.map(size);
  const make = (id: string, type: 'line' | 'bar', title: string, unit: string, value: (p: BenchPoint) => number | null): void => {
    const canvas = document.getElementById(id) as HTMLCanvasElement | null;
    if (canvas) charts.push(new Chart(canvas, { type, data: { labels, datasets: series(value) }, options: options(title, unit) }));
  };
  const where = `${state.concurrency} at once, ${state.cache} cache`;
  make('chart-throughput', 'line', `Throughput (${where})`, 'GB/s', (p) => (p.throughputBytesPerSec === null ? null : p.throughputBytesPerSec / 1e9));
  make('chart-cpu', 'bar', `CPU of the serving process per GB (${where})`, 'CPU s/GB', (p) => p.cpuSecondsPerGB);
  make('chart-memory', 'line', `Peak memory of the serving process (${where})`, 'MB', (p) => (p.peakRssBytes === null ? null : p.peakRssBytes / 1e6));
}

// ---- page ----
function environment(): HTMLElement {
  const e = report.environment;
  const rows: Array<[string, string]> = [
    ['Machine', `${e.cores} × ${e.cpu}, ${Math.round(e.memoryBytes / 2 ** 30)} GiB`],
    ['System', `${e.platform}, kernel ${e.kernel}`],
    ['Node', e.node],
    ['Runtime', `zerocopy ${e.runtime.version}: ${e.runtime.addon ? 'addon loaded' : `addon not loaded (${e.runtime.reason ?? ''}), sendFile streams`}`],
    ['Runtime methods', methodsText() || 'no variant called the runtime'],
    ['Sink', e.sink],
    ['Processes', e.pinning],
    ...(e.loadClient ? [['Load client', e.loadClient] as [string, string]] : []),
    ['Cold cache', e.coldCache.method],
    ['Time', `${e.elapsedSeconds} s in all, ${e.timeBudgetSeconds} s of it for the rounds${e.stoppedEarly ? ' (stopped early)' : ''}; load average ${e.loadAverage.join(' ')}`],
  ];
  return el('dl', { class: 'env' }, ...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

function methodsText(): string {
  return report.variants
    .map((v) => {
      const counts: Record<string, number> = {};
      for (const p of v.points) for (const [m, n] of Object.entries(p.runtimeMethods ?? {})) counts[m] = (counts[m] ?? 0) + n;
      const list = Object.entries(counts).map(([m, n]) => `${m} (${n})`);
      return list.length ? `${v.name}: ${list.join(', ')}` : '';
    })
    .filter(Boolean)
    .join('; ');
}

function table(): HTMLElement {
  const head = el('tr', {}, ...['variant', 'size', 'at once', 'cache', 'throughput', 'latency p50 / p95', 'CPU s/GB', 'peak RSS', 'rounds', 'vs as written'].map((h) => el('th', {}, h)));
  const body: HTMLElement[] = [];
  for (const v of report.variants) {
    if (v.wrong) {
      body.push(el('tr', {}, el('td', {}, v.name), el('td', { class: 'note wrong', colspan: '9' }, `wrong, not timed: ${v.wrong}`)));
      continue;
    }
    for (const p of v.points) {
      const cells: HTMLElement[] = [el('td', {}, v.name), el('td', {}, size(p.sizeBytes)), el('td', {}, String(p.concurrency)), el('td', {}, p.cache)];
      if (p.skipped) cells.push(el('td', { class: 'note', colspan: '6' }, `skipped: ${p.skipped}`));
      else {
        cells.push(
          el('td', {}, rate(p.throughputBytesPerSec)),
          el('td', {}, p.latencyMs ? `${ms(p.latencyMs.median)} / ${ms(p.latencyMs.p95)} ms` : '–'),
          el('td', {}, p.cpuSecondsPerGB === null ? '–' : p.cpuSecondsPerGB.toFixed(2)),
          el('td', {}, p.peakRssBytes === null ? '–' : `${Math.round(p.peakRssBytes / 1e6)} MB`),
          el('td', {}, String(p.rounds)),
          el('td', { class: p.verdict === 'faster' ? 'faster' : p.verdict === 'slower' ? 'slower' : '' }, v.kind === 'as-written' ? 'baseline' : speedup(p)),
        );
      }
      body.push(el('tr', {}, ...cells));
    }
  }
  return el('table', { id: 'results' }, el('caption', {}, 'Every point: medians over rounds; intervals are 95 % confidence of the median (order statistics; min–max under 6 rounds)'), el('thead', {}, head), el('tbody', {}, ...body));
}

function variantSection(v: BenchVariant): HTMLElement {
  const wins = (v.startsToWin ?? []).map((w) => `${w.sizeBytes === null ? 'not at the sizes measured' : `from ${size(w.sizeBytes)}`} (${w.concurrency} at once, ${w.cache})`);
  return el(
    'section',
    { class: 'variant' },
    el('h3', {}, v.name, el('span', { class: 'kind' }, v.kind), v.kind === 'fix' && !v.wrong ? button('Apply this fix', () => vscode.postMessage({ type: 'apply', variant: v.name })) : null),
    el('div', {}, v.description),
    v.wrong ? el('div', { class: 'wrong' }, `Wrong, not timed: ${v.wrong}`) : null,
    wins.length ? el('div', {}, `Wins over as written: ${wins.join('; ')}`) : null,
    v.bound.length ? el('div', {}, 'Bound: ', ...v.bound.flatMap((b, i) => [i ? '; ' : '', el('code', {}, b.name), ` → ${b.to}`])) : null,
    v.dropped.length ? el('div', {}, 'Dropped (cannot run here, or not on the way to the transfer):') : null,
    v.dropped.length ? el('ul', { class: 'plain' }, ...v.dropped.map((d) => el('li', {}, `${d.file}:${d.line} `, el('code', {}, d.text), ` — ${d.reason}`))) : null,
    el('pre', {}, v.code),
  );
}

function button(label: string, onClick: () => void, secondary = false): HTMLButtonElement {
  const b = el('button', secondary ? { class: 'secondary' } : {}, label);
  b.addEventListener('click', onClick);
  return b;
}

function select(label: string, values: Array<string | number>, current: string | number, onChange: (v: string) => void): HTMLElement {
  const s = el('select', { 'aria-label': label }, ...values.map((v) => el('option', v === current ? { value: String(v), selected: '' } : { value: String(v) }, String(v))));
  s.addEventListener('change', () => onChange(s.value));
  return el('label', {}, `${label} `, s);
}

function render(): void {
  const f = report.finding;
  const app = document.getElementById('app')!;
  const parts: Child[] = [
    el('h1', {}, 'Benchmark this transfer'),
    el('div', { class: 'subtitle' }, `${f.file}:${f.line}:${f.column} — ${f.rule}, recommends ${f.recommendation}`),
    el('div', { class: 'actions' }, button('Copy as Markdown', () => vscode.postMessage({ type: 'copyMarkdown' }), true), button('Save JSON', () => vscode.postMessage({ type: 'saveJson' }), true)),
    el(
      'div',
      { class: 'controls' },
      select('connections at once', concurrencies, state.concurrency, (v) => {
        state.concurrency = Number(v);
        drawCharts();
      }),
      select('page cache', caches, state.cache, (v) => {
        state.cache = v as 'warm' | 'cold';
        drawCharts();
      }),
    ),
    el('div', { class: 'charts' }, chartCard('chart-throughput'), chartCard('chart-cpu'), chartCard('chart-memory')),
    el('h2', {}, 'Results'),
    table(),
    el('h2', {}, 'Variants'),
    ...report.variants.map(variantSection),
    report.notes.length ? el('h2', {}, 'Notes') : null,
    report.notes.length ? el('ul', { class: 'plain' }, ...report.notes.map((n) => el('li', {}, n))) : null,
    el('h2', {}, 'Environment'),
    environment(),
  ];
  app.replaceChildren(...parts.filter((p): p is Node | string => p !== null && p !== undefined && p !== false));
  drawCharts();
}

render();
// The theme changed: VS Code swaps the body's classes (and the colours the charts read).
new MutationObserver(() => drawCharts()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
