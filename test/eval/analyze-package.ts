/**
 * Runs the engine over one installed package's analysed files, the way the CLI would over a project:
 * one `Project` per package whose `getText` reads that package's files (the runner may use fs; the engine may not).
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { analyzeFile, Project, type Finding } from '../../server/src/engine/index';
import { listCandidates } from './candidates';
import type { EvalPackage, LabelledSite } from './dataset';
import { scoreFile, type FileScore, type Label, type SiteSpan } from './score';

export interface PackageRun {
  pkg: EvalPackage;
  files: { file: string; score: FileScore }[];
  /** Files the engine declined to analyse, with its reason. */
  skipped: { file: string; reason: string }[];
  /** Files on which the engine threw: a bug, reported, the run goes on. */
  errors: { file: string; message: string }[];
  /** Labelled lines that no longer hold their callee (a wrong pin or a bad label): excluded from the counts. */
  staleLabels: LabelledSite[];
  /** Findings whose primary location is a file outside the analysed list (ignored, but shown). */
  elsewhere: Finding[];
  millis: number;
}

function readOrUndefined(fileName: string): string | undefined {
  try {
    return readFileSync(fileName, 'utf8');
  } catch {
    return undefined;
  }
}

/** Finds the lines each label's callee covers, and whether the label still points at that callee. */
export function spansFor<S extends Label & { line: number; callee: string }>(
  file: string,
  text: string,
  sites: readonly S[],
): { spans: SiteSpan<S>[]; stale: S[] } {
  const candidates = listCandidates(file, text);
  const lines = text.split('\n');
  const spans: SiteSpan<S>[] = [];
  const stale: S[] = [];
  for (const site of sites) {
    const c = candidates.find((c) => c.line === site.line && c.callee.replace(/\s+/g, '') === site.callee);
    if (c) spans.push({ site, firstLine: c.line, lastLine: c.endLine });
    else if ((lines[site.line - 1] ?? '').replace(/\s+/g, '').includes(site.callee)) spans.push({ site, firstLine: site.line, lastLine: site.line });
    else stale.push(site);
  }
  return { spans, stale };
}

/** What the engine did with one file. Plain data: the worker sends it to the runner as one JSON line. */
export interface FileAnalysis {
  file: string;
  /** Every finding reported while analysing this file; a cross-file flow may put its source in another file. */
  findings: Finding[];
  skipped?: string;
  error?: string;
  millis: number;
}

/**
 * The project is the package: its other files are visible for cross-file summaries, nothing outside it; its
 * listing (where methods called on injected objects are looked up by name) is the package's analysed files.
 */
export function packageProject(dir: string, files: readonly string[]): Project {
  const root = resolve(dir);
  const inPackage = (fileName: string) => resolve(fileName).startsWith(root + sep);
  const listing = files.map((file) => join(root, file));
  return new Project({ getText: (fileName) => (inPackage(fileName) ? readOrUndefined(fileName) : undefined), list: () => listing });
}

export function analyzeOne(dir: string, project: Project, file: string): FileAnalysis {
  const fileName = join(resolve(dir), file);
  const text = readFileSync(fileName, 'utf8');
  const started = performance.now();
  try {
    const analysis = analyzeFile(fileName, text, { project });
    return { file, findings: analysis.findings, skipped: analysis.skipped?.reason, millis: performance.now() - started };
  } catch (err) {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    return { file, findings: [], error, millis: performance.now() - started };
  }
}

/**
 * Scores a package: findings are attributed to the file of their primary location (the source call), whichever
 * file's analysis reported them, and the same finding reported twice counts once.
 */
export function scorePackage(pkg: EvalPackage, dir: string, sites: readonly LabelledSite[], analyses: readonly FileAnalysis[]): PackageRun {
  const root = resolve(dir);
  const byFile = new Map<string, Finding[]>();
  const seen = new Set<string>();
  for (const f of analyses.flatMap((a) => a.findings)) {
    const file = relative(root, resolve(f.fileName)).split(sep).join('/');
    const key = `${file}:${f.range.start.line}:${f.range.start.character}:${f.rule}:${f.sink.location.fileName}:${f.sink.location.range.start.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    byFile.set(file, [...(byFile.get(file) ?? []), f]);
  }
  const run: PackageRun = { pkg, files: [], skipped: [], errors: [], staleLabels: [], elsewhere: [], millis: 0 };
  for (const file of pkg.files) {
    const text = readFileSync(join(root, file), 'utf8');
    const { spans, stale } = spansFor(file, text, sites.filter((s) => s.file === file));
    run.staleLabels.push(...stale);
    run.files.push({ file, score: scoreFile(file, spans, byFile.get(file) ?? []) });
  }
  for (const [file, findings] of byFile) if (!pkg.files.includes(file)) run.elsewhere.push(...findings);
  for (const a of analyses) {
    if (a.skipped !== undefined) run.skipped.push({ file: a.file, reason: a.skipped });
    if (a.error !== undefined) run.errors.push({ file: a.file, message: a.error });
    run.millis += a.millis;
  }
  return run;
}
