/**
 * `check --fix` and `--fix-dry-run`: apply the preferred fix of every finding, in memory, pass after
 * pass (a fix changes the file, so the findings are analysed again), until no finding has one that
 * applies; never two overlapping edits in one pass. What changed, what was fixed, and what was
 * left and why, come back; writing the files is the caller's.
 */
import type { Finding } from '../engine';
import { fixesFor, applyEdits, type Fix, type FileEdit } from '../fixes';
import { lineStarts, offsetAt, overlaps } from '../fixes/edits';
import { bundledRuntimeVersion } from '../report/runtimeVersion';
import { nearestPackageJson } from '../workspace/nearestPackageJson';
import { runCheck, type CheckReport, type CheckRequest } from './check';
import { parsesWithoutErrors } from './parses';

/** A pass only undoes what passes did before it, so a handful suffices; the bound stops a loop. */
const MAX_PASSES = 10;

export interface FixedFinding {
  finding: Finding;
  fix: Fix;
}

export interface LeftFinding {
  finding: Finding;
  reason: string;
}

export interface FixPlan {
  /** Files whose text changed: their text on disk and after the fixes. */
  changed: Map<string, { before: string; after: string }>;
  fixed: FixedFinding[];
  /** The findings that remain after the fixes, each with why it has no fix. */
  left: LeftFinding[];
  /** The analysis of the fixed texts. */
  report: CheckReport;
}

/** What `check` says of a finding: its preferred fix, or why there is none. */
export function fixOf(report: CheckReport, finding: Finding): { fix?: Fix; noFix?: string } {
  const text = report.textOf(finding.fileName);
  if (text === undefined) return { noFix: 'the file could not be read again' };
  try {
    const result = fixesFor({
      fileName: finding.fileName,
      text,
      finding,
      getText: report.textOf,
      packageJson: nearestPackageJson(finding.fileName, report.textOf),
      zerocopyVersion: bundledRuntimeVersion(),
      project: report.project,
    });
    const fix = result.fixes.find((f) => f.preferred);
    return fix ? { fix } : { noFix: result.noFix ?? 'no rewrite applies' };
  } catch (error) {
    return { noFix: `computing the fix failed (${error instanceof Error ? error.message : String(error)}); please report this` };
  }
}

interface Span {
  fileName: string;
  start: number;
  end: number;
  newText: string;
}

function spansOf(fix: Fix, texts: (f: string) => string | undefined): Span[] | undefined {
  const out: Span[] = [];
  for (const e of fix.edits) {
    const text = texts(e.fileName);
    if (text === undefined) return undefined;
    const starts = lineStarts(text);
    out.push({ fileName: e.fileName, start: offsetAt(starts, text, e.range.start), end: offsetAt(starts, text, e.range.end), newText: e.newText });
  }
  return out;
}

export async function planFixes(request: CheckRequest, first: CheckReport): Promise<FixPlan> {
  const texts = new Map<string, string>();
  const original = new Map<string, string>();
  const fixed: FixedFinding[] = [];
  let report = first;
  const textOf = (f: string) => texts.get(f) ?? report.textOf(f);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const chosen: Array<{ finding: Finding; fix: Fix; spans: Span[] }> = [];
    const taken: Span[] = [];
    for (const finding of report.findings) {
      const { fix } = fixOf(report, finding);
      if (!fix) continue;
      const spans = spansOf(fix, textOf);
      if (!spans) continue;
      // Identical edits (two fixes adding the same dependency) are one edit; any other overlap waits for the next pass.
      const clash = spans.some((s) => taken.some((t) => t.fileName === s.fileName && overlaps(t, s) && !(t.start === s.start && t.end === s.end && t.newText === s.newText)));
      if (clash) continue;
      chosen.push({ finding, fix, spans });
      taken.push(...spans);
    }
    if (chosen.length === 0) break;
    const byFile = new Map<string, FileEdit[]>();
    const seen = new Set<string>();
    for (const c of chosen) {
      for (const e of c.fix.edits) {
        const key = JSON.stringify([e.fileName, e.range, e.newText]);
        if (seen.has(key)) continue;
        seen.add(key);
        const list = byFile.get(e.fileName) ?? [];
        list.push(e);
        byFile.set(e.fileName, list);
      }
    }
    const next = new Map<string, string>();
    let broken: string | undefined;
    for (const [fileName, edits] of byFile) {
      const before = textOf(fileName)!;
      const after = applyEdits(before, edits);
      // A fix whose output does not parse is a bug in it: stop rather than write broken code.
      if (/\.[cm]?[jt]sx?$/.test(fileName) && !parsesWithoutErrors(fileName, after)) broken = fileName;
      next.set(fileName, after);
    }
    if (broken) throw new Error(`a fix made ${broken} unparsable; nothing was written. Please report this.`);
    for (const [fileName, after] of next) {
      if (!original.has(fileName)) original.set(fileName, textOf(fileName)!);
      texts.set(fileName, after);
    }
    fixed.push(...chosen.map((c) => ({ finding: c.finding, fix: c.fix })));
    report = await runCheck({ ...request, files: first.files, texts });
  }
  const left = report.findings.map((finding) => ({ finding, reason: fixOf(report, finding).noFix ?? 'its fix overlaps another one that kept coming back; run `check --fix` again' }));
  const changed = new Map<string, { before: string; after: string }>();
  for (const [fileName, before] of [...original].sort(([a], [b]) => a.localeCompare(b))) {
    const after = texts.get(fileName)!;
    if (after !== before) changed.set(fileName, { before, after });
  }
  return { changed, fixed, left, report };
}
