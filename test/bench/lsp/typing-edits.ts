/**
 * Typing-like incremental edits, one character per didChange, at sites spread through the file:
 * at each site a new statement is typed after a line that ends a statement and then erased with
 * backspace, and a few characters of a nearby word are deleted and typed again. Every cycle
 * returns the file to its original text, so later sites see the same code, and many intermediate
 * states do not parse (as while typing).
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';

const TYPED_STATEMENT = 'const zcTyped = 1;';
const RETYPED_CHARS = 3;

type Change = { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string };

/** The document at each step, so every change is computed against the text it applies to. */
class Typist {
  private doc: TextDocument;
  readonly changes: Change[] = [];
  constructor(text: string) {
    this.doc = TextDocument.create('file:///bench.js', 'javascript', 0, text);
  }
  get text(): string {
    return this.doc.getText();
  }
  private apply(c: Change): void {
    this.changes.push(c);
    this.doc = TextDocument.update(this.doc, [c], this.doc.version + 1);
  }
  insert(line: number, character: number, text: string): void {
    this.apply({ range: { start: { line, character }, end: { line, character } }, text });
  }
  /** Backspace: delete the character before (line, character); at column 0 it joins lines. */
  backspace(line: number, character: number): void {
    const start = character > 0 ? { line, character: character - 1 } : { line: line - 1, character: this.lineLength(line - 1) };
    this.apply({ range: { start, end: { line, character } }, text: '' });
  }
  lineLength(line: number): number {
    return this.text.split('\n')[line]!.length;
  }
}

/** A line (at or after `from`) that ends a statement, so typing after it is like adding code. */
function statementEnd(lines: string[], from: number): number {
  for (let i = from; i < lines.length; i++) if (/;\s*$/.test(lines[i]!) && !/^\s*(\/\/|\*)/.test(lines[i]!)) return i;
  return from;
}

/**
 * A word of at least RETYPED_CHARS + 1 letters on a line near `from` (after it, else from the top:
 * sites close to the end of the file have none below): [line, end column of the word].
 */
function wordNear(lines: string[], from: number): [number, number] {
  for (let k = 0; k < lines.length; k++) {
    const i = (from + k) % lines.length;
    const m = /[A-Za-z_]{4,}/.exec(lines[i]!);
    if (m && !/^\s*(\/\/|\*)/.test(lines[i]!)) return [i, m.index + m[0].length];
  }
  throw new Error('typing edits: the file has no word to retype');
}

export function typingEdits(text: string, sites: number): TextDocumentContentChangeEvent[] {
  const typist = new Typist(text);
  const lines = text.split('\n');
  for (let s = 0; s < sites; s++) {
    const line = statementEnd(lines, Math.floor(((s + 0.5) * lines.length) / sites));
    const col = lines[line]!.length;
    // Enter, then the statement one key at a time (indentation typed too: editors send it).
    const indent = /^\s*/.exec(lines[line]!)![0];
    typist.insert(line, col, '\n');
    const typed = indent + TYPED_STATEMENT;
    for (let i = 0; i < typed.length; i++) typist.insert(line + 1, i, typed[i]!);
    for (let i = typed.length; i > 0; i--) typist.backspace(line + 1, i);
    typist.backspace(line + 1, 0);
    // Delete the end of a nearby word and type it again.
    const [wl, wend] = wordNear(lines, line + 2);
    const word = lines[wl]!.slice(wend - RETYPED_CHARS, wend);
    for (let i = 0; i < RETYPED_CHARS; i++) typist.backspace(wl, wend - i);
    for (let i = 0; i < RETYPED_CHARS; i++) typist.insert(wl, wend - RETYPED_CHARS + i, word[i]!);
  }
  if (typist.text !== text) throw new Error('typing edits do not return the file to its original text');
  return typist.changes;
}

/**
 * A day of small fixes all over a file: at one line after another (lines far apart, stepping by a
 * prime through the file), a few characters typed after a statement and deleted again, so every
 * few edits touch another statement, as fixing typos here and there does. Every visit returns the
 * file to its original text.
 */
export function hoppingEdits(text: string, count: number): TextDocumentContentChangeEvent[] {
  const typist = new Typist(text);
  const lines = text.split('\n');
  const ends: number[] = [];
  lines.forEach((l, i) => {
    if (/;\s*$/.test(l) && !/^\s*(\/\/|\*)/.test(l)) ends.push(i);
  });
  if (ends.length === 0) throw new Error('hopping edits: no line ends a statement');
  const TYPED = ' x1';
  for (let visit = 0; typist.changes.length < count; visit++) {
    const line = ends[(visit * 7919) % ends.length]!;
    const col = lines[line]!.length;
    for (let i = 0; i < TYPED.length; i++) typist.insert(line, col + i, TYPED[i]!);
    for (let i = TYPED.length; i > 0; i--) typist.backspace(line, col + i);
  }
  if (typist.text !== text) throw new Error('hopping edits do not return the file to its original text');
  return typist.changes.slice(0, count);
}
