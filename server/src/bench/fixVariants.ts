/**
 * The fix variants: each rewrite the fix engine offers for the finding, applied to the user's
 * texts, then sliced exactly as the code as written was — the same transfer function, found again
 * in the rewritten text through the edits, the same file expression bound, the same server.
 */
import { applyEdits, rewritesFor, type Fix, type FileEdit } from '../fixes';
import { lineStarts, offsetAt } from '../fixes/edits';
import type { Finding } from '../engine/types';
import type { Anchors, Span } from './slice/locate';
import { sliceTransfer, type Slice } from './slice/slice';

export interface FixVariant {
  fix: Fix;
  slice?: Slice;
  /** Why the rewrite could not be benchmarked. */
  reason?: string;
}

export interface FixVariants {
  variants: FixVariant[];
  /** Rewrites the fix engine does not offer for this finding, with its reason. */
  notOffered: Array<{ kind: string; reason: string }>;
}

export function fixVariants(finding: Finding, anchors: Anchors, getText: (fileName: string) => string | undefined, displayRoot: string, zerocopyVersion: string): FixVariants {
  const text = getText(finding.fileName);
  if (text === undefined) return { variants: [], notOffered: [] };
  const outcomes = rewritesFor({ fileName: finding.fileName, text, finding, getText, zerocopyVersion });
  const variants: FixVariant[] = [];
  const notOffered: FixVariants['notOffered'] = [];
  for (const outcome of outcomes) {
    if (!outcome.fix) {
      notOffered.push({ kind: outcome.kind, reason: outcome.reason ?? 'no rewrite applies' });
      continue;
    }
    variants.push(sliceFix(outcome.fix, anchors, getText, displayRoot));
  }
  return { variants, notOffered };
}

interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

function sliceFix(fix: Fix, anchors: Anchors, getText: (fileName: string) => string | undefined, displayRoot: string): FixVariant {
  // The rewritten texts (package.json edits change nothing that runs here).
  const byFile = new Map<string, FileEdit[]>();
  for (const edit of fix.edits) {
    if (edit.fileName.endsWith('package.json')) continue;
    byFile.set(edit.fileName, [...(byFile.get(edit.fileName) ?? []), edit]);
  }
  const texts = new Map<string, string>();
  const offsets = new Map<string, OffsetEdit[]>();
  for (const [fileName, edits] of byFile) {
    const original = getText(fileName);
    if (original === undefined) return { fix, reason: `cannot read ${fileName}` };
    texts.set(fileName, applyEdits(original, edits));
    const starts = lineStarts(original);
    offsets.set(
      fileName,
      edits.map((e) => ({ start: offsetAt(starts, original, e.range.start), end: offsetAt(starts, original, e.range.end), newText: e.newText })).sort((a, b) => a.start - b.start),
    );
  }
  const rewritten = (fileName: string): string | undefined => texts.get(fileName) ?? getText(fileName);
  const mapped = mapAnchors(anchors, offsets, getText);
  if ('reason' in mapped) return { fix, reason: mapped.reason };
  const sliced = sliceTransfer(mapped, rewritten, displayRoot);
  if (!sliced.ok) return { fix, reason: sliced.reason };
  return { fix, slice: sliced.slice };
}

/** An offset of the original text in the rewritten one; undefined inside a replaced range. */
function mapOffset(edits: readonly OffsetEdit[], offset: number, side: 'start' | 'end'): number | undefined {
  let delta = 0;
  for (const e of edits) {
    const before = side === 'start' ? e.end <= offset : e.end <= offset && !(e.start === e.end && e.start === offset);
    if (before) delta += e.newText.length - (e.end - e.start);
    else if (e.start < offset && offset < e.end) return undefined;
  }
  return offset + delta;
}

function mapSpan(edits: readonly OffsetEdit[], span: Span): Span | undefined {
  const start = mapOffset(edits, span.start, 'start');
  const end = mapOffset(edits, span.end, 'end');
  return start === undefined || end === undefined ? undefined : { start, end };
}

/** Where the edits' new text sits in the rewritten file. */
function newRanges(edits: readonly OffsetEdit[]): Array<Span & { text: string }> {
  let delta = 0;
  return edits.map((e) => {
    const start = e.start + delta;
    delta += e.newText.length - (e.end - e.start);
    return { start, end: start + e.newText.length, text: e.newText };
  });
}

function mapAnchors(anchors: Anchors, offsets: Map<string, OffsetEdit[]>, getText: (fileName: string) => string | undefined): Anchors | { reason: string } {
  const transferEdits = offsets.get(anchors.transferFile) ?? [];
  const transfer = mapSpan(transferEdits, anchors.transfer);
  if (!transfer) return { reason: 'the rewrite replaces the function the transfer is in' };
  // The path: what is left of it, and every rewritten piece inside the function.
  const targets: Span[] = anchors.targets.flatMap((t) => mapSpan(transferEdits, t) ?? []);
  for (const r of newRanges(transferEdits)) if (r.start >= transfer.start && r.end <= transfer.end && r.text.trim()) targets.push({ start: r.start, end: r.end });

  // The file expression: where it was, or — when the rewrite replaced the code around it — the
  // same expression in the rewritten code (the fixes keep it as it was written).
  const fileEdits = offsets.get(anchors.fileExpression.fileName) ?? [];
  let fileExpression = mapSpan(fileEdits, anchors.fileExpression);
  if (!fileExpression) {
    const original = getText(anchors.fileExpression.fileName) ?? '';
    const expression = original.slice(anchors.fileExpression.start, anchors.fileExpression.end);
    for (const r of newRanges(fileEdits)) {
      const at = r.text.indexOf(expression);
      if (at >= 0) {
        fileExpression = { start: r.start + at, end: r.start + at + expression.length };
        break;
      }
    }
  }
  if (!fileExpression) return { reason: 'the rewrite no longer names the file as the code did' };

  let entry = anchors.entry;
  if (entry.kind === 'call') {
    const call = mapSpan(transferEdits, entry.call);
    const caller = mapSpan(transferEdits, entry.caller);
    if (!call || !caller) return { reason: 'the rewrite changes the handler that calls the transfer function' };
    entry = { kind: 'call', call, caller };
  }
  return { ...anchors, transfer, targets, fileExpression: { fileName: anchors.fileExpression.fileName, ...fileExpression }, entry };
}
