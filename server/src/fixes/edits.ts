/**
 * Text edits: engine ranges <-> offsets, and applying one file's edits. Lines break where the
 * engine's parser (TypeScript) breaks them: \r\n, \n, \r, U+2028, U+2029.
 */
import type { Range, Position } from '../engine/types';
import type { FileEdit } from './types';

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 || c === 0x2028 || c === 0x2029) {
      starts.push(i + 1);
    }
  }
  return starts;
}

export function offsetAt(starts: readonly number[], text: string, p: Position): number {
  if (p.line < 0 || p.line >= starts.length) throw new RangeError(`line ${p.line} is outside the text (${starts.length} lines)`);
  const lineEnd = p.line + 1 < starts.length ? starts[p.line + 1]! : text.length;
  const offset = starts[p.line]! + p.character;
  if (p.character < 0 || offset > lineEnd) throw new RangeError(`character ${p.character} is outside line ${p.line}`);
  return offset;
}

export function positionAt(starts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo]! };
}

export function rangeAt(starts: readonly number[], start: number, end: number): Range {
  return { start: positionAt(starts, start), end: positionAt(starts, end) };
}

/** Two edits overlap when they share a character, or insert at the same place (their order would be a guess). */
export function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  if (a.start === a.end) return b.start < a.start && a.start < b.end;
  if (b.start === b.end) return a.start < b.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

/**
 * Applies one file's edits (all of them must be for the same file; their ranges are in `text`).
 * Throws on overlapping edits: which one wins would be a guess.
 */
export function applyEdits(text: string, edits: readonly FileEdit[]): string {
  if (edits.length === 0) return text;
  const fileName = edits[0]!.fileName;
  const starts = lineStarts(text);
  const spans = edits.map((e) => {
    if (e.fileName !== fileName) throw new Error(`applyEdits: edits for ${fileName} and ${e.fileName} mixed; apply each file's edits to its own text`);
    const start = offsetAt(starts, text, e.range.start);
    const end = offsetAt(starts, text, e.range.end);
    if (end < start) throw new RangeError(`an edit's range ends before it starts (${JSON.stringify(e.range)})`);
    return { start, end, newText: e.newText };
  });
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < spans.length; i++) {
    if (overlaps(spans[i - 1]!, spans[i]!)) throw new Error(`applyEdits: overlapping edits at offsets ${spans[i - 1]!.start}-${spans[i - 1]!.end} and ${spans[i]!.start}-${spans[i]!.end}`);
  }
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + s.newText;
    at = s.end;
  }
  return out + text.slice(at);
}
