/**
 * Turns the rounds into the figures the issue asks for: per-trial medians and spread, lines per
 * second, and the per-round ratios check / parse floor (goal <= 1.5) and ESLint / check
 * (goal >= 3), with a verdict that takes the spread into account. Markdown, so the same text
 * reads in a terminal and pastes into the README.
 */
import type { CorpusListing } from '../corpus/walk';
import { compare, fmt, fmtSummary, judge, median, summarize, type Summary } from '../stats';
import type { TrialRun } from './bench';
import type { Trial } from './trials';

export const GOALS = { checkOverFloor: 1.5, eslintOverCheck: 3 } as const;

function okRuns(runs: TrialRun[], id: Trial['id']): TrialRun[] {
  return runs.filter((r) => r.trial === id && r.ok);
}

/** Per-round ratio a/b on one metric, for rounds where both ran. */
function roundRatios(runs: TrialRun[], a: Trial['id'], b: Trial['id'], metric: (r: TrialRun) => number | undefined): number[] {
  const out: number[] = [];
  const rounds = new Set(runs.map((r) => r.round));
  for (const round of rounds) {
    const ra = runs.find((r) => r.round === round && r.trial === a && r.ok);
    const rb = runs.find((r) => r.round === round && r.trial === b && r.ok);
    const va = ra && metric(ra);
    const vb = rb && metric(rb);
    if (va !== undefined && vb !== undefined && vb > 0) out.push(va / vb);
  }
  return out;
}

function ratioLine(label: string, wall: number[], cpu: number[], goal: number, direction: 'atMost' | 'atLeast'): string[] {
  if (wall.length === 0) return [`- ${label}: n/a (needs both trials)`];
  const w = summarize(wall);
  const lines = [`- ${label}: **${fmt(w.median, 2)}×** wall (rounds ${fmt(w.min, 2)}–${fmt(w.max, 2)}) — goal ${direction === 'atMost' ? '≤' : '≥'} ${goal}×: **${judge(w, goal, direction)}**`];
  if (cpu.length > 0) {
    const c = summarize(cpu);
    lines.push(`  - on CPU time: ${fmt(c.median, 2)}× (rounds ${fmt(c.min, 2)}–${fmt(c.max, 2)}): ${judge(c, goal, direction)}`);
  }
  return lines;
}

export function engineReport(runs: TrialRun[], trials: Trial[], listing: CorpusListing): string[] {
  const lines: string[] = [];
  const wall = new Map<Trial['id'], Summary>();
  lines.push('| trial | wall time (median, min–max) | spread | CPU time (median) | lines/s (median wall) | peak RSS | findings |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const t of trials) {
    const ok = okRuns(runs, t.id);
    const failed = runs.filter((r) => r.trial === t.id && !r.ok).length;
    if (ok.length === 0) {
      lines.push(`| ${t.title} | not measured${failed ? ` (${failed} failed)` : ''} | | | | | |`);
      continue;
    }
    const w = summarize(ok.map((r) => r.wallMs));
    wall.set(t.id, w);
    const cpu = ok.map((r) => r.cpuMs).filter((v): v is number => v !== undefined);
    const rss = ok.map((r) => r.maxRssMb).filter((v): v is number => v !== undefined);
    const findings = [...new Set(ok.map((r) => r.found?.findings).filter((v) => v !== undefined))];
    lines.push(
      `| ${t.title} | ${fmt(w.median / 1000, 2)} s (${fmt(w.min / 1000, 2)}–${fmt(w.max / 1000, 2)}) | ${fmt(w.spreadPct)}% | ` +
        `${cpu.length ? fmt(median(cpu) / 1000, 2) + ' s' : 'n/a'} | ${fmt(listing.measured.lines / (w.median / 1000))} | ` +
        `${rss.length ? fmt(median(rss)) + ' MB' : 'n/a'} | ${findings.length ? findings.join(' / ') : 'n/a'}${failed ? ` (${failed} runs failed)` : ''} |`,
    );
  }
  lines.push('');
  lines.push(...ratioLine('check / parse floor', roundRatios(runs, 'check', 'parse-floor', (r) => r.wallMs), roundRatios(runs, 'check', 'parse-floor', (r) => r.cpuMs), GOALS.checkOverFloor, 'atMost'));
  lines.push(...ratioLine('ESLint / check', roundRatios(runs, 'eslint', 'check', (r) => r.wallMs), roundRatios(runs, 'eslint', 'check', (r) => r.cpuMs), GOALS.eslintOverCheck, 'atLeast'));
  const unbundled = roundRatios(runs, 'check-unbundled', 'parse-floor', (r) => r.wallMs);
  if (unbundled.length) {
    const u = summarize(unbundled);
    const bundle = roundRatios(runs, 'check', 'check-unbundled', (r) => r.wallMs);
    const b = summarize(bundle);
    lines.push(
      `- for comparison, check unbundled (out/, TypeScript from node_modules) / parse floor: ${fmt(u.median, 2)}× (rounds ${fmt(u.min, 2)}–${fmt(u.max, 2)})` +
        (bundle.length ? `; the esbuild bundle / unbundled: ${fmt(b.median, 2)}× (rounds ${fmt(b.min, 2)}–${fmt(b.max, 2)})` : ''),
    );
  }
  const check = wall.get('check');
  const floor = wall.get('parse-floor');
  if (check && floor) lines.push(`- check vs parse floor, wall-time ranges: ${compare(check, floor).replace('a faster', 'check faster').replace('b faster', 'floor faster')}`);

  lines.push('');
  lines.push('Inside the children (medians, ms):');
  for (const t of trials) {
    const ok = okRuns(runs, t.id).filter((r) => r.found?.phases);
    if (ok.length === 0) continue;
    const names = Object.keys(ok[0]!.found!.phases!);
    const parts = names.map((n) => `${n} ${fmt(median(ok.map((r) => r.found!.phases![n] ?? NaN)))}`);
    const last = ok[ok.length - 1]!.found!;
    const extra = [
      last.files !== undefined ? `${last.files} files` : '',
      last.filesWithSyntaxErrors !== undefined ? `${last.filesWithSyntaxErrors} with syntax errors` : '',
      ...(last.notes ?? []),
    ].filter(Boolean);
    lines.push(`- ${t.id}: ${parts.join(', ')}${extra.length ? ` (${extra.join(', ')})` : ''}`);
  }
  const checkRun = okRuns(runs, 'check').at(-1)?.found;
  if (checkRun && (checkRun.files !== undefined || checkRun.skipped !== undefined)) {
    lines.push(
      `- check: reported ${checkRun.files ?? '?'} files, ${checkRun.skipped ?? '?'} skipped, ${checkRun.errors ?? '?'} analysis errors ` +
        `(the bench counted ${listing.files.length} files + ${listing.oversize.files} over the size limit)`,
    );
  }

  const others = runs.map((r) => r.othersCores).filter((v): v is number => v !== undefined);
  if (others.length) {
    const o = summarize(others);
    lines.push('');
    lines.push(`Noise: while the children ran, the rest of the machine used ${fmtSummary(o, 'cores', 2)} of 2.`);
  }
  return lines;
}
