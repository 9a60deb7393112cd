import ts from 'typescript';

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

export function scriptKindOf(fileName: string): ts.ScriptKind {
  const m = /\.[cm]?[jt]sx?$/.exec(fileName);
  return (m && SCRIPT_KINDS[m[0]]) ?? ts.ScriptKind.JS;
}

/** Parses like the engine does everywhere (the benchmark's parse floor uses this too). */
export function parse(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, /*setParentNodes*/ true, scriptKindOf(fileName));
}

/**
 * Re-parses after an edit, reusing the unchanged parts of the previous tree (what editors do on
 * every keystroke). The previous tree must not be used afterwards.
 */
export function reparse(previous: ts.SourceFile, text: string): ts.SourceFile {
  const { start, oldEnd, newEnd } = changeBetween(previous.text, text);
  return ts.updateSourceFile(previous, text, ts.createTextChangeRange(ts.createTextSpan(start, oldEnd - start), newEnd - start));
}

/** Where two texts differ: `old` from `start` to `oldEnd` became `text` from `start` to `newEnd`. */
function changeBetween(old: string, text: string): { start: number; oldEnd: number; newEnd: number } {
  const max = Math.min(old.length, text.length);
  // Whole blocks first (string comparison runs natively), then character by character.
  const BLOCK = 1024;
  let start = 0;
  while (start + BLOCK <= max && old.slice(start, start + BLOCK) === text.slice(start, start + BLOCK)) start += BLOCK;
  while (start < max && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let tail = 0;
  while (tail + BLOCK <= max - start && old.slice(old.length - tail - BLOCK, old.length - tail) === text.slice(text.length - tail - BLOCK, text.length - tail)) tail += BLOCK;
  while (tail < max - start && old.charCodeAt(old.length - 1 - tail) === text.charCodeAt(text.length - 1 - tail)) tail++;
  return { start, oldEnd: old.length - tail, newEnd: text.length - tail };
}

/** Deeper bracket nesting than this is skipped: the parser and the walks are recursive. */
export const MAX_NESTING = 500;

const MINIFIED_MIN_SIZE = 100_000;
const MINIFIED_LINE_LENGTH = 500;

/**
 * Why a file must not be analysed, or undefined. Cheap: one pass over the text at most. Given the
 * file's previous text, which was analysed, an edit that adds and removes no bracket is not
 * scanned for nesting again (the nesting is as it was).
 */
export function reasonToSkip(text: string, maxFileSize: number, analysed?: string): string | undefined {
  if (text.length > maxFileSize) return `file has ${text.length} characters, over the limit of ${maxFileSize} (setting zerocopy.maxFileSize)`;
  if (text.length > MINIFIED_MIN_SIZE) {
    let lines = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    const average = Math.round(text.length / lines);
    // Minified and generated code (emscripten, bundles): no one edits it, and its syntax tree is ~100× its size.
    if (average > MINIFIED_LINE_LENGTH) return `looks minified or generated (${lines} lines averaging ${average} characters)`;
  }
  const probe = text.length > 65536 ? text.slice(0, 65536) : text;
  if (probe.includes('\u0000')) return 'binary content (NUL bytes), not JavaScript';
  if (analysed !== undefined) {
    const { start, oldEnd, newEnd } = changeBetween(analysed, text);
    if (!BRACKET.test(analysed.slice(start, oldEnd)) && !BRACKET.test(text.slice(start, newEnd))) return undefined;
  }
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > max) max = depth;
    } else if (c === 41 || c === 93 || c === 125) {
      if (depth > 0) depth--;
    }
  }
  if (max > MAX_NESTING) return `brackets nested ${max} deep, over the limit of ${MAX_NESTING}`;
  return undefined;
}

const BRACKET = /[()[\]{}]/;

/** A file that names an fs module can hold a source of its own. */
const NAMES_FS = /(['"`])(?:node:)?(?:fs|fs\/promises|graceful-fs|fs-extra(?:\/esm)?|original-fs|mz\/fs)\1/;
export function namesFs(text: string): boolean {
  return NAMES_FS.test(text);
}
