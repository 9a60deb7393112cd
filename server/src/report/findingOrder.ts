/**
 * When two findings are the same (analysing two files of a project can report one flow twice)
 * and in which order findings are shown: by file, then position, then rule.
 */
import type { Finding } from '../engine';

export function findingKey(f: Finding): string {
  const r = f.range;
  const s = f.sink.location;
  return [f.rule, f.fileName, r.start.line, r.start.character, r.end.line, r.end.character, s.fileName, s.range.start.line, s.range.start.character].join('|');
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.fileName, b.fileName) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    compareText(a.rule, b.rule) ||
    compareText(a.sink.location.fileName, b.sink.location.fileName) ||
    a.sink.location.range.start.line - b.sink.location.range.start.line ||
    a.sink.location.range.start.character - b.sink.location.range.start.character
  );
}

/** Findings without duplicates, sorted. */
export function uniqueSortedFindings(findings: Iterable<Finding>): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const f of findings) if (!byKey.has(findingKey(f))) byKey.set(findingKey(f), f);
  return [...byKey.values()].sort(compareFindings);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
