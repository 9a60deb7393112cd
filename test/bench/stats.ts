/**
 * Medians and spread, and the judgements the report makes from them. Single measurements on
 * this machine vary a lot (2 shared cores), so nothing here trusts one number: a goal is "met"
 * only when every round meets it, and two trials differ only when their ranges do not overlap.
 */

export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  /** (max - min) / median, as a percentage: how noisy the rounds were. */
  spreadPct: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100) of a sample. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1]!;
}

export function summarize(values: readonly number[]): Summary {
  const med = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { n: values.length, median: med, min, max, spreadPct: med === 0 ? 0 : ((max - min) / med) * 100 };
}

/** "faster", "slower" or "no difference": ranges that overlap cannot be told apart. */
export function compare(a: Summary, b: Summary): 'a faster' | 'b faster' | 'no difference' {
  if (a.max < b.min) return 'a faster';
  if (b.max < a.min) return 'b faster';
  return 'no difference';
}

export type Verdict = 'met' | 'not met' | 'undecided (rounds fall on both sides)';

/** A goal on per-round ratios: `atMost` (ratio <= goal) or `atLeast` (ratio >= goal). */
export function judge(ratios: Summary, goal: number, direction: 'atMost' | 'atLeast'): Verdict {
  if (direction === 'atMost') {
    if (ratios.max <= goal) return 'met';
    if (ratios.min > goal) return 'not met';
  } else {
    if (ratios.min >= goal) return 'met';
    if (ratios.max < goal) return 'not met';
  }
  return 'undecided (rounds fall on both sides)';
}

export function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtSummary(s: Summary, unit: string, digits = 0): string {
  return `${fmt(s.median, digits)} ${unit} (min ${fmt(s.min, digits)}, max ${fmt(s.max, digits)}, spread ${fmt(s.spreadPct)}%)`;
}
