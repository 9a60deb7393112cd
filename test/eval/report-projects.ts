/**
 * Prints the evaluation of a set of projects (the second or the third): a table per project (applications, then libraries), the shared summary
 * (summary.ts: kinds apart, recall per rule, shapes, misses by shape), then every false positive and wrong
 * recommendation with the labeller's note, and what could not be run or scored.
 */
import type { ProjectRun, CliFinding } from './run-projects';
import type { ProjectSite } from './projects-set';
import { judgedFinding, recommendationRight, ruleRight, totalsOf, type Totals } from './score';
import { printSummary, totalsHeader, totalsRow } from './summary';

const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function where(s: ProjectSite): string {
  return `${s.project} ${s.file}:${s.line} ${s.callee}`;
}

function describeFinding(f: CliFinding): string {
  return `${f.rule} → ${f.recommendation} (sink ${f.sink.kind}/${f.sink.transport} at ${f.sink.file}:${f.sink.range.start.line + 1})`;
}

export function printProjectReport(runs: readonly ProjectRun[], out: (line: string) => void, title = 'Set 2'): Totals {
  const ran = runs.filter((r) => !r.unavailable);
  out('');
  out(`== ${title}: applications and libraries run with \`zerocopy check <project folder> --format json\` ==`);
  out(totalsHeader('project', 34) + lpad('files', 7) + lpad('secs', 7));
  for (const kind of ['application', 'library'] as const) {
    for (const r of ran.filter((r) => r.project.kind === kind)) {
      const t = totalsOf(r.files.map((f) => f.score));
      out(totalsRow(`${r.project.name}${r.failure ? ' (FAILED)' : ''}`, t) + lpad(String(r.project.scoredFiles), 7) + lpad((r.millis / 1000).toFixed(0), 7));
    }
  }
  const scores = ran.flatMap((r) => r.files.map((f) => ({ kind: r.project.kind, score: f.score })));
  const all = printSummary(title, scores, (s: ProjectSite) => `${where(s)}  [${s.label} → ${s.recommendation}]  ${s.note}`, out);

  const fps = ran.flatMap((r) => r.files.flatMap((f) => f.score.falsePositives));
  const stray = ran.flatMap((r) => r.files.flatMap((f) => f.score.unlabelled.map((u) => ({ r, u }))));
  out('');
  out(`${title}: false positives (${fps.length + stray.length}):`);
  for (const s of fps) {
    const shapes = s.site.shapes?.length ? ` [${s.site.shapes.join(', ')}]` : '';
    out(`  ${where(s.site)}  [labelled none${shapes}]  found: ${describeFinding(s.findings[0]!)}  — ${s.site.note}`);
  }
  for (const { r, u } of stray) out(`  ${r.project.name} ${u.file}:${u.line}  [no label on this line]  found: ${describeFinding(u.findings[0]!)}  — ${u.findings[0]!.message}`);

  const wrong = ran.flatMap((r) => r.files.flatMap((f) => f.score.truePositives)).filter((s) => !recommendationRight(s) || !ruleRight(s));
  out('');
  out(`${title}: recalled with a different rule or recommendation (${wrong.length}):`);
  for (const s of wrong) {
    const f = judgedFinding(s);
    out(`  ${where(s.site)}  labelled ${s.site.label} → ${s.site.recommendation}, found ${f.rule} → ${f.recommendation}  — ${s.site.note}`);
  }

  const problems = runs.flatMap((r) => [
    ...(r.unavailable ? [`  ${r.project.name}: not available here, not scored: ${r.unavailable}`] : []),
    ...(r.failure ? [`  ${r.project.name}: ${r.failure} (its labelled positives count as missed)`] : []),
    ...(!r.unavailable && !r.failure && r.analysed !== r.walked ? [`  ${r.project.name}: the CLI analysed ${r.analysed} files, the walk found ${r.walked}`] : []),
    ...(!r.unavailable && r.scoredCount !== r.project.scoredFiles
      ? [`  ${r.project.name}: ${r.scoredCount} files scored, projects.json pins ${r.project.scoredFiles}: the walk or the excludes changed`]
      : []),
    ...r.errors.map((e) => `  ${r.project.name} ${e.file}: analysis error: ${e.message.split('\n').slice(0, 2).join(' | ')}`),
    ...r.skipped.map((s) => `  ${r.project.name} ${s.file}: skipped by the CLI: ${s.reason}`),
    ...r.staleLabels.map((s) => `  ${where(s)}: label does not match the materialised file, or its file is not scored (excluded)`),
    ...(r.notScored.length ? [`  ${r.project.name}: ${r.notScored.length} finding(s) in files not scored (tests, build scripts): ${[...new Set(r.notScored.map((f) => f.file))].slice(0, 4).join(', ')}${r.notScored.length > 4 ? ', …' : ''}`] : []),
  ]);
  if (problems.length) {
    out('');
    out(`${title}: other observations (${problems.length}):`);
    for (const p of problems) out(p);
  }
  const secs = ran.reduce((n, r) => n + r.millis, 0) / 1000;
  out('');
  out(`${title}: ${ran.length} of ${runs.length} projects run (${ran.filter((r) => r.project.kind === 'application').length} applications), ${ran.reduce((n, r) => n + r.project.scoredFiles, 0)} scored files, CLI time ${secs.toFixed(0)} s`);
  return all;
}
