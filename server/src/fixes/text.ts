/**
 * Moving code: the text of statements re-indented for where they go, with multi-line strings and
 * template literals left exactly as they were (their line starts are content, not indentation).
 */
import ts from 'typescript';

/** The whitespace a line starts with, for the line holding `pos`. */
export function indentAt(text: string, pos: number): string {
  let start = pos;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return /^[ \t]*/.exec(text.slice(start, pos + 1))![0].slice(0, pos - start);
}

/** Whether only whitespace precedes `pos` on its line. */
export function startsLine(text: string, pos: number): boolean {
  for (let i = pos - 1; i >= 0; i--) {
    const c = text[i];
    if (c === '\n' || c === '\r') return true;
    if (c !== ' ' && c !== '\t') return false;
  }
  return true;
}

/** Offsets (within the file) of line starts that lie inside a literal spanning lines. */
function literalLineStarts(sf: ts.SourceFile, from: number, to: number): Set<number> {
  const inside = new Set<number>();
  const text = sf.text;
  const visit = (n: ts.Node): void => {
    if (n.end <= from || n.pos >= to) return;
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n) || n.kind === ts.SyntaxKind.JsxText) {
      const start = n.getStart(sf);
      for (let i = start; i < n.end; i++) if (text[i] === '\n') inside.add(i + 1);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return inside;
}

/**
 * The text from `from` to `to` (whole lines of code), re-indented: each line's `oldIndent` prefix
 * becomes `newIndent`. Leading and trailing blank lines are dropped.
 */
export function reindent(sf: ts.SourceFile, from: number, to: number, oldIndent: string, newIndent: string, newline: string): string {
  const text = sf.text;
  const keep = literalLineStarts(sf, from, to);
  const out: string[] = [];
  let lineStart = from;
  while (lineStart <= to) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > to) lineEnd = to;
    let line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    if (keep.has(lineStart)) out.push(line);
    else if (line.trim() === '') out.push('');
    else {
      if (lineStart === from) line = line.replace(/^[ \t]*/, '');
      else if (line.startsWith(oldIndent)) line = line.slice(oldIndent.length);
      else line = line.replace(/^[ \t]*/, '');
      out.push(newIndent + line);
    }
    if (lineEnd >= to) break;
    lineStart = lineEnd + 1;
  }
  while (out.length && out[0]!.trim() === '') out.shift();
  while (out.length && out[out.length - 1]!.trim() === '') out.pop();
  return out.join(newline);
}

/** The statements' text (from the first one's line, comments above it included) re-indented. */
export function statementsText(sf: ts.SourceFile, statements: readonly ts.Statement[], newIndent: string, newline: string): string {
  if (statements.length === 0) return '';
  const first = statements[0]!;
  const last = statements[statements.length - 1]!;
  const from = leadingCommentStart(sf, first);
  return reindent(sf, from, last.getEnd(), indentAt(sf.text, first.getStart(sf)), newIndent, newline);
}

/** Where a statement's own comments start (those on the lines right above it), else its start. */
export function leadingCommentStart(sf: ts.SourceFile, node: ts.Node): number {
  const ranges = ts.getLeadingCommentRanges(sf.text, node.getFullStart()) ?? [];
  let start = node.getStart(sf);
  for (let i = ranges.length - 1; i >= 0; i--) {
    const r = ranges[i]!;
    const between = sf.text.slice(r.end, start);
    // A blank line separates a comment from the statement: it belongs to what is above.
    if (/\n[ \t]*\r?\n/.test(between)) break;
    start = r.pos;
  }
  return start;
}

/** The offset where the line holding `pos` starts. */
export function lineStartOf(text: string, pos: number): number {
  let start = pos;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return start;
}
