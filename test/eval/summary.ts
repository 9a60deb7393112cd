/**
 * The summary both sets print after their own tables: applications and libraries apart, recall per rule, and the
 * labelled positives grouped by shape (shapes in projects-set.ts), with every miss listed under its shapes.
 */
import { RULE_IDS } from '../../server/src/engine/index';
import { addTotals, precision, ratio, recall, recommendationAccuracy, totalsOf, type FileScore, type Label, type ScoredFinding, type Totals } from './score';
import { SHAPES, type Shape } from './projects-set';

export interface SummarisedSite extends Label {
  shapes?: readonly Shape[];
}

export interface KindedScore<S extends SummarisedSite, F extends ScoredFinding> {
  kind: 'application' | 'library';
  score: FileScore<S, F>;
}

const fmt = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(2));
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

export const GOALS = { precision: 0.95, recall: 0.9, recommendation: 0.9 };

export function totalsRow(name: string, t: Totals, width = 34): string {
  return (
    pad(name, width) +
    lpad(String(t.tp + t.fn), 5) +
    lpad(String(t.tp), 5) +
    lpad(String(t.fp), 5) +
    lpad(String(t.fn), 5) +
    lpad(fmt(precision(t)), 7) +
    lpad(fmt(recall(t)), 7) +
    lpad(fmt(recommendationAccuracy(t)), 7)
  );
}

export function totalsHeader(first: string, width = 34): string {
  return pad(first, width) + ['pos', 'TP', 'FP', 'FN'].map((h) => lpad(h, 5)).join('') + ['prec', 'recall', 'rec.ok'].map((h) => lpad(h, 7)).join('');
}

/**
 * Prints the kind split, recall per rule and the shape table. `describe` names a site for the miss list
 * (project, file:line, callee, note).
 */
export function printSummary<S extends SummarisedSite, F extends ScoredFinding>(
  title: string,
  scores: readonly KindedScore<S, F>[],
  describe: (site: S) => string,
  out: (line: string) => void,
): Totals {
  const byKind = (kind: 'application' | 'library') => totalsOf(scores.filter((s) => s.kind === kind).map((s) => s.score));
  const apps = byKind('application');
  const libs = byKind('library');
  const all = addTotals(apps, libs);
  out('');
  out(`${title}: applications and libraries apart`);
  out(totalsHeader('', 34));
  out(totalsRow('applications', apps));
  out(totalsRow('libraries', libs));
  out(totalsRow('all', all));
  out(
    `precision ${fmt(precision(all))} (goal ≥ ${GOALS.precision})   recall ${fmt(recall(all))} (goal ≥ ${GOALS.recall})   ` +
      `recommendation right on ${fmt(recommendationAccuracy(all))} of recalled sites (goal ≥ ${GOALS.recommendation})   ` +
      `rule right on ${fmt(ratio(all.ruleRight, all.tp))}`,
  );

  const files = scores.map((s) => s.score);
  const tps = files.flatMap((f) => f.truePositives);
  const fns = files.flatMap((f) => f.falseNegatives);
  out('');
  out(`${title}: recall per labelled rule`);
  for (const rule of RULE_IDS) {
    const tp = tps.filter((s) => s.site.label === rule).length;
    const fn = fns.filter((s) => s.site.label === rule).length;
    out(`  ${pad(rule, 22)} ${tp}/${tp + fn}${tp + fn === 0 ? '  (no example in the set)' : ''}`);
  }

  out('');
  out(`${title}: labelled positives by shape (a site with several shapes counts under each)`);
  const shapesOf = (s: S): readonly Shape[] => (s.shapes && s.shapes.length ? s.shapes : ['plain']);
  const fps = files.flatMap((f) => f.falsePositives);
  for (const shape of Object.keys(SHAPES) as Shape[]) {
    const tp = tps.filter((s) => shapesOf(s.site).includes(shape)).length;
    const fn = fns.filter((s) => shapesOf(s.site).includes(shape)).length;
    const fp = fps.filter((s) => (s.site.shapes ?? []).includes(shape)).length;
    if (tp + fn + fp === 0) continue;
    const what = tp + fn > 0 ? `${tp}/${tp + fn} found` : '';
    const fpText = fp > 0 ? `${what ? ', ' : ''}${fp} false positive(s) labelled with this shape` : '';
    out(`  ${pad(shape, 24)} ${what}${fpText}   — ${SHAPES[shape]}`);
  }
  out('');
  out(`${title}: misses by shape (${fns.length})`);
  for (const shape of Object.keys(SHAPES) as Shape[]) {
    const missed = fns.filter((s) => shapesOf(s.site).includes(shape));
    if (missed.length === 0) continue;
    out(`  ${shape} (${missed.length}):`);
    for (const s of missed) out(`    ${describe(s.site)}`);
  }
  return all;
}
