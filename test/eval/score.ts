/**
 * Matches the engine's findings to labelled source calls and counts them. Pure: no fs, no engine call.
 *
 * Unit of counting: a source call site (file + line of the callee), not a finding. Several findings on one site
 * (one source reaching two sinks) are one true or false positive.
 * - positive label with a finding: true positive; its recommendation (and rule) are then checked
 * - positive label without one: false negative
 * - `none` label with a finding, or a finding on a line nobody labelled: false positive
 */
import type { Finding, Recommendation, RuleId } from '../../server/src/engine/index';
import type { LabelledSite } from './dataset';

/** What scoring needs of a label (both sets' label rows have it). */
export interface Label {
  label: RuleId | 'none';
  recommendation?: Recommendation;
  /** 1-based column of the callee, to tell apart two calls on one line. */
  column?: number;
}

/** What scoring needs of a finding: the engine's own, or one read back from `zerocopy check --format json`. */
export interface ScoredFinding {
  rule: RuleId;
  recommendation: Recommendation;
  range: { start: { line: number; character: number } };
}

/** A labelled site with the lines its callee covers in the installed file (found by re-parsing it). */
export interface SiteSpan<S extends Label = LabelledSite> {
  site: S;
  firstLine: number;
  lastLine: number;
}

export interface ScoredSite<S extends Label = LabelledSite, F extends ScoredFinding = Finding> {
  site: S;
  findings: F[];
}

export interface UnlabelledFinding<F extends ScoredFinding = Finding> {
  file: string;
  /** 1-based. */
  line: number;
  findings: F[];
}

export interface FileScore<S extends Label = LabelledSite, F extends ScoredFinding = Finding> {
  truePositives: ScoredSite<S, F>[];
  falseNegatives: ScoredSite<S, F>[];
  /** Sites labelled `none` that got a finding. */
  falsePositives: ScoredSite<S, F>[];
  /** Findings on lines with no label at all (also false positives). */
  unlabelled: UnlabelledFinding<F>[];
  trueNegatives: number;
}

/** Which finding at a recalled site is judged: the one with the labelled rule if there is one. */
export function judgedFinding<F extends ScoredFinding>(s: ScoredSite<Label, F>): F {
  return s.findings.find((f) => f.rule === s.site.label) ?? s.findings[0]!;
}

export function recommendationRight(s: ScoredSite<Label, ScoredFinding>): boolean {
  return judgedFinding(s).recommendation === s.site.recommendation;
}

export function ruleRight(s: ScoredSite<Label, ScoredFinding>): boolean {
  return s.findings.some((f) => f.rule === s.site.label);
}

/**
 * Scores one analysed file. `findings` are those the engine reported with this file as their primary location.
 * `file` is the package-relative name used in the labels.
 */
export function scoreFile<S extends Label = LabelledSite, F extends ScoredFinding = Finding>(
  file: string,
  spans: readonly SiteSpan<S>[],
  findings: readonly F[],
): FileScore<S, F> {
  const matched = new Map<SiteSpan<S>, F[]>(spans.map((s) => [s, []]));
  const stray = new Map<number, F[]>();
  for (const f of findings) {
    const line = f.range.start.line + 1;
    const column = f.range.start.character + 1;
    const candidates = spans.filter((s) => s.firstLine <= line && line <= s.lastLine);
    if (candidates.length === 0) {
      stray.set(line, [...(stray.get(line) ?? []), f]);
      continue;
    }
    // Two labelled calls on one line: the one whose callee starts nearest the finding's range.
    const best = candidates.reduce((a, b) =>
      Math.abs((b.site.column ?? 1) - column) < Math.abs((a.site.column ?? 1) - column) ? b : a,
    );
    matched.get(best)!.push(f);
  }
  const score: FileScore<S, F> = { truePositives: [], falseNegatives: [], falsePositives: [], unlabelled: [], trueNegatives: 0 };
  for (const [span, fs] of matched) {
    const scored = { site: span.site, findings: fs };
    if (span.site.label === 'none') {
      if (fs.length) score.falsePositives.push(scored);
      else score.trueNegatives++;
    } else if (fs.length) score.truePositives.push(scored);
    else score.falseNegatives.push(scored);
  }
  for (const [line, fs] of [...stray].sort((a, b) => a[0] - b[0])) score.unlabelled.push({ file, line, findings: fs });
  return score;
}

export interface Totals {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  recommendationRight: number;
  ruleRight: number;
}

export function totalsOf(scores: readonly FileScore<Label, ScoredFinding>[]): Totals {
  const t: Totals = { tp: 0, fp: 0, fn: 0, tn: 0, recommendationRight: 0, ruleRight: 0 };
  for (const s of scores) {
    t.tp += s.truePositives.length;
    t.fp += s.falsePositives.length + s.unlabelled.length;
    t.fn += s.falseNegatives.length;
    t.tn += s.trueNegatives;
    t.recommendationRight += s.truePositives.filter(recommendationRight).length;
    t.ruleRight += s.truePositives.filter(ruleRight).length;
  }
  return t;
}

export function addTotals(a: Totals, b: Totals): Totals {
  return {
    tp: a.tp + b.tp,
    fp: a.fp + b.fp,
    fn: a.fn + b.fn,
    tn: a.tn + b.tn,
    recommendationRight: a.recommendationRight + b.recommendationRight,
    ruleRight: a.ruleRight + b.ruleRight,
  };
}

/** A ratio, or undefined when its denominator is 0 (printed as "–", never as a made-up 1.00). */
export function ratio(num: number, den: number): number | undefined {
  return den === 0 ? undefined : num / den;
}

export function precision(t: Totals): number | undefined {
  return ratio(t.tp, t.tp + t.fp);
}
export function recall(t: Totals): number | undefined {
  return ratio(t.tp, t.tp + t.fn);
}
export function recommendationAccuracy(t: Totals): number | undefined {
  return ratio(t.recommendationRight, t.tp);
}
