/**
 * Prints the evaluation: a table per package and overall, per-rule recall, then every false positive and false
 * negative with the labeller's note, so a reader can judge each one.
 */
import { RULE_IDS, type Finding } from '../../server/src/engine/index';
import type { PackageRun } from './analyze-package';
import { packageKey, type LabelledSite } from './dataset';
import {
  addTotals,
  judgedFinding,
  precision,
  recall,
  recommendationAccuracy,
  recommendationRight,
  ratio,
  ruleRight,
  totalsOf,
  type Totals,
} from './score';
import { printSummary } from './summary';

const GOALS = { precision: 0.95, recall: 0.9, recommendation: 0.9 };

const fmt = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(2));
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

export function totalsOfRun(run: PackageRun): Totals {
  return totalsOf(run.files.map((f) => f.score));
}

function row(name: string, files: string, t: Totals): string {
  const labelled = t.tp + t.fn;
  return (
    pad(name, 34) +
    lpad(files, 6) +
    lpad(String(labelled), 5) +
    lpad(String(t.tp), 5) +
    lpad(String(t.fp), 5) +
    lpad(String(t.fn), 5) +
    lpad(fmt(precision(t)), 7) +
    lpad(fmt(recall(t)), 7) +
    lpad(fmt(recommendationAccuracy(t)), 7)
  );
}

function describeFinding(f: Finding): string {
  const sink = `${f.sink.kind}/${f.sink.transport}`;
  return `${f.rule} → ${f.recommendation} (sink ${sink} at ${f.sink.location.fileName.split('node_modules/').pop()}:${f.sink.location.range.start.line + 1})`;
}

function where(s: LabelledSite): string {
  return `${packageKey({ name: s.package, version: s.version })} ${s.file}:${s.line} ${s.callee}`;
}

export function printReport(runs: readonly PackageRun[], out: (line: string) => void): Totals {
  out('');
  out('== Set 1: published packages, their runtime files listed in packages.json ==');
  out(pad('package', 34) + lpad('files', 6) + ['pos', 'TP', 'FP', 'FN'].map((h) => lpad(h, 5)).join('') + ['prec', 'recall', 'rec.ok'].map((h) => lpad(h, 7)).join(''));
  let overall: Totals = { tp: 0, fp: 0, fn: 0, tn: 0, recommendationRight: 0, ruleRight: 0 };
  for (const run of runs) {
    const t = totalsOfRun(run);
    overall = addTotals(overall, t);
    out(row(packageKey(run.pkg), String(run.pkg.files.length), t));
  }
  const files = runs.reduce((n, r) => n + r.pkg.files.length, 0);
  out('-'.repeat(80));
  out(row(`overall (${runs.length} packages)`, String(files), overall));
  out('');
  const labelledNegatives = overall.tn + runs.flatMap((r) => r.files).reduce((n, f) => n + f.score.falsePositives.length, 0);
  out(`labelled sites: ${overall.tp + overall.fn} positive, ${labelledNegatives} negative ('pos' = labelled positives; 'rec.ok' = recommendation right on recalled sites)`);
  out(
    `precision ${fmt(precision(overall))} (goal ≥ ${GOALS.precision})   recall ${fmt(recall(overall))} (goal ≥ ${GOALS.recall})   ` +
      `recommendation right on ${fmt(recommendationAccuracy(overall))} of recalled sites (goal ≥ ${GOALS.recommendation})   ` +
      `rule right on ${fmt(ratio(overall.ruleRight, overall.tp))}`,
  );

  out('');
  out('recall per labelled rule:');
  const scored = runs.flatMap((r) => r.files.map((f) => f.score));
  for (const rule of RULE_IDS) {
    const tp = scored.flatMap((s) => s.truePositives).filter((s) => s.site.label === rule).length;
    const fn = scored.flatMap((s) => s.falseNegatives).filter((s) => s.site.label === rule).length;
    out(`  ${pad(rule, 22)} ${tp}/${tp + fn}${tp + fn === 0 ? '  (no real-code example in the set)' : ''}`);
  }

  const fns = scored.flatMap((s) => s.falseNegatives);
  out('');
  out(`false negatives (${fns.length}):`);
  for (const s of fns) out(`  ${where(s.site)}  [${s.site.label} → ${s.site.recommendation}]  ${s.site.note}`);

  const fps = scored.flatMap((s) => s.falsePositives);
  const stray = runs.flatMap((r) => r.files.flatMap((f) => f.score.unlabelled.map((u) => ({ run: r, u }))));
  out('');
  out(`false positives (${fps.length + stray.length}):`);
  for (const s of fps) out(`  ${where(s.site)}  [labelled none]  found: ${describeFinding(s.findings[0]!)}  — ${s.site.note}`);
  for (const { run, u } of stray)
    out(`  ${packageKey(run.pkg)} ${u.file}:${u.line}  [no label on this line]  found: ${describeFinding(u.findings[0]!)}  — ${u.findings[0]!.message}`);

  const wrong = scored.flatMap((s) => s.truePositives).filter((s) => !recommendationRight(s) || !ruleRight(s));
  out('');
  out(`recalled with a different rule or recommendation (${wrong.length}):`);
  for (const s of wrong) {
    const f = judgedFinding(s);
    out(`  ${where(s.site)}  labelled ${s.site.label} → ${s.site.recommendation}, found ${f.rule} → ${f.recommendation}  — ${s.site.note}`);
  }

  const problems = runs.flatMap((r) => [
    ...r.errors.map((e) => `  ${packageKey(r.pkg)} ${e.file}: engine error: ${e.message.split('\n').slice(0, 3).join(' | ')}`),
    ...r.skipped.map((s) => `  ${packageKey(r.pkg)} ${s.file}: skipped by the engine: ${s.reason}`),
    ...r.staleLabels.map((s) => `  ${where(s)}: label does not match the installed file (excluded)`),
    ...r.elsewhere.map((f) => `  ${packageKey(r.pkg)}: finding with primary location outside the analysed files: ${f.fileName}:${f.range.start.line + 1}`),
  ]);
  if (problems.length) {
    out('');
    out(`other observations (${problems.length}):`);
    for (const p of problems) out(p);
  }
  // Every package of this set is a published library (some ship a CLI too): the application row stays empty.
  printSummary(
    'Set 1',
    scored.map((score) => ({ kind: 'library' as const, score })),
    (s: LabelledSite) => `${where(s)}  [${s.label} → ${s.recommendation}]  ${s.note}`,
    out,
  );
  const millis = runs.reduce((n, r) => n + r.millis, 0);
  out('');
  out(`engine time over ${files} files: ${millis.toFixed(0)} ms`);
  return overall;
}
