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

/** A program over one in-memory file, touching no disk and no lib: its syntax errors, or a checker of that file alone. */
export function singleFileProgram(sourceFile: ts.SourceFile, options: ts.CompilerOptions): ts.Program {
  const { fileName, text } = sourceFile;
  const host: ts.CompilerHost = {
    getSourceFile: (name) => (name === fileName ? sourceFile : undefined),
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (name) => name === fileName,
    readFile: (name) => (name === fileName ? text : undefined),
  };
  return ts.createProgram({ rootNames: [fileName], options, host });
}

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
 *
 * The scanner cuts names and literals out of the text, and V8 keeps a cut of 13 characters or
 * more as a slice that holds the whole text. A node the parser reuses lives on into every later
 * version, so without copies each version's text would stay alive as long as one of its nodes
 * does: a day of edits all over a file would keep thousands of its texts. The nodes new in a
 * version get copies of their strings; the first tree's nodes keep the first text (one text).
 */
export function reparse(previous: ts.SourceFile, text: string): ts.SourceFile {
  const { start, oldEnd, newEnd } = changeBetween(previous.text, text);
  if (!settled.has(previous)) settle(previous);
  const oldStarts = (previous as WithLineMap).lineMap;
  const sf = ts.updateSourceFile(previous, text, ts.createTextChangeRange(ts.createTextSpan(start, oldEnd - start), newEnd - start));
  settleNew(sf);
  const starts = oldStarts && shiftedLineStarts(oldStarts, text, start, oldEnd, newEnd);
  if (starts) (sf as WithLineMap).lineMap = starts;
  return sf;
}

/** TypeScript keeps a file's line starts in `lineMap`, computed from the whole text when first asked for. */
type WithLineMap = ts.SourceFile & { lineMap?: readonly number[] };

/**
 * The line starts of `text` (as `ts.computeLineStarts` gives them), from those of the text it was
 * edited from: where old text from `start` to `oldEnd` became text from `start` to `newEnd`.
 * Lines before the edit keep their starts, lines after it are moved by what the edit added; only
 * the lines the edit touched are scanned (a keystroke costs a copy of the array, not a scan of
 * the file). A start depends on the break before it and the character after that break (`\r\n`).
 * Undefined when the old starts do not fit the edit.
 */
export function shiftedLineStarts(old: readonly number[], text: string, start: number, oldEnd: number, newEnd: number): number[] | undefined {
  const delta = newEnd - oldEnd;
  // Scan from a line start whose break, and the character after it, are before the edit.
  const from = Math.max(0, upperBound(old, start - 2) - 1);
  const starts = old.slice(0, from + 1);
  for (let pos = old[from] ?? 0; pos < text.length; ) {
    const ch = text.charCodeAt(pos++);
    if (ch === 13 && text.charCodeAt(pos) === 10) pos++;
    if (ch !== 13 && ch !== 10 && ch !== 0x2028 && ch !== 0x2029) continue;
    starts.push(pos);
    // A break past the edit (its character after is too): from here on, the old starts, moved.
    if (pos - 1 >= newEnd) {
      const at = upperBound(old, pos - delta);
      if (old[at - 1] !== pos - delta) return undefined; // not expected: the old starts do not fit (TypeScript computes them when asked)
      for (let i = at; i < old.length; i++) starts.push(old[i]! + delta);
      return starts;
    }
  }
  return starts;
}

/** The index of the first element of the sorted `list` greater than `value`. */
function upperBound(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The nodes whose strings hold no text but the first one: those of a file's first tree, and the
 * nodes a re-parse made since. A reused node comes with its whole subtree, so a walk stops there.
 */
const settled = new WeakSet<ts.Node>();

function settle(root: ts.Node): void {
  const visit = (n: ts.Node): void => {
    settled.add(n);
    for (const doc of jsDocOf(n)) visit(doc);
    ts.forEachChild(n, visit);
  };
  visit(root);
}

/** Copies the strings of the nodes a re-parse made (the tree's own text is the current one). */
function settleNew(sf: ts.SourceFile): void {
  const visit = (n: ts.Node): void => {
    if (settled.has(n)) return;
    settled.add(n);
    const fields = n as unknown as Record<string, unknown>;
    if (n.kind === ts.SyntaxKind.Identifier || n.kind === ts.SyntaxKind.PrivateIdentifier) {
      const id = n as ts.Identifier;
      fields.escapedText = detached(id.escapedText as string);
    } else {
      for (const key of STRING_FIELDS) if (typeof fields[key] === 'string') fields[key] = detached(fields[key] as string);
    }
    for (const doc of jsDocOf(n)) visit(doc);
    ts.forEachChild(n, visit);
  };
  settled.add(sf);
  ts.forEachChild(sf, visit);
}

/** Where other nodes keep text: literals (`text`, and templates' `rawText`), JSDoc (`comment`). */
const STRING_FIELDS = ['text', 'rawText', 'comment'] as const;

function jsDocOf(n: ts.Node): readonly ts.Node[] {
  return (n as { jsDoc?: ts.Node[] }).jsDoc ?? [];
}

/** A flat copy of a string: slicing a concatenation copies it into a new flat string first. */
export function detached(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
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
    // Counted only as far as needed: past this many lines the average line is short enough.
    const enough = Math.ceil(text.length / MINIFIED_LINE_LENGTH) + 1;
    let lines = 1;
    for (let i = text.indexOf('\n'); i !== -1 && lines < enough; i = text.indexOf('\n', i + 1)) lines++;
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

/**
 * About how much heap analysing a file of this many characters takes at its peak: the syntax tree,
 * the scopes and the evaluation grow linearly with the text (measured on generated files of real
 * modules, 2 to 20 MB: 44 bytes per character, plus the process's own), and this keeps a margin
 * for denser code. The engine knows the cost; the shell, which knows its memory, decides.
 */
export function analysisHeapBytes(characters: number): number {
  return characters * 64;
}

/** A file that names an fs module can hold a source of its own. */
const NAMES_FS = /(['"`])(?:node:)?(?:fs|fs\/promises|graceful-fs|fs-extra(?:\/esm)?|original-fs|mz\/fs)\1/;
export function namesFs(text: string): boolean {
  return NAMES_FS.test(text);
}
