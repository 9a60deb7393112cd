/**
 * What a rewrite kind produces (edits of the source file as offsets, plus the imports it needs),
 * and how that becomes a Fix: offsets to ranges, imports merged, the package.json dependency added.
 */
import type { FileEdit, Fix, FixKind } from './types';
import type { FixContext } from './context';
import { overlaps, rangeAt } from './edits';
import { Imports } from './imports';
import { dependencyEdit } from './packageJson';

export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Rewrite {
  kind: FixKind;
  title: string;
  edits: OffsetEdit[];
  imports: Imports;
}

/** The Fix for a rewrite, with its import edits and, when it imports zerocopy, the dependency. */
export function toFix(ctx: FixContext, rewrite: Rewrite, preferred: boolean): Fix {
  const all = [...rewrite.edits, ...rewrite.imports.edits()].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: OffsetEdit[] = [];
  for (const e of all) {
    const prev = merged[merged.length - 1];
    // An import inserted where a rewritten statement starts: one insertion, the import first.
    if (prev && prev.start === prev.end && e.start === prev.start) {
      merged[merged.length - 1] = { start: prev.start, end: e.end, newText: prev.newText + e.newText };
      continue;
    }
    if (prev && overlaps(prev, e)) throw new Error(`fix ${rewrite.kind}: edits overlap at ${e.start}`);
    merged.push(e);
  }
  const starts = ctx.sf.getLineStarts();
  const edits: FileEdit[] = merged.map((e) => ({ fileName: ctx.input.fileName, range: rangeAt(starts, e.start, e.end), newText: e.newText }));
  if (rewrite.imports.needsZerocopy && ctx.input.packageJson) {
    const dep = dependencyEdit(ctx.input.packageJson, 'zerocopy', `^${ctx.input.zerocopyVersion}`);
    if (dep) edits.push(dep);
  }
  return { kind: rewrite.kind, title: rewrite.title, preferred, edits };
}
