/** Writing the replacement code: statements at an indentation, moved statements re-indented, an error branch. */
import ts from 'typescript';
import type { FixContext } from './context';
import { indentAt, reindent, statementsText } from './text';
import { semi } from './style';
import { isExpressionBody } from './completion';

export interface Layout {
  /** The indentation of the statement being replaced. */
  indent: string;
  /** One level deeper. */
  inner: string;
  nl: string;
}

export function layoutAt(ctx: FixContext, statement: ts.Node): Layout {
  const indent = indentAt(ctx.sf.text, statement.getStart(ctx.sf));
  return { indent, inner: indent + ctx.style.indent, nl: ctx.style.newline };
}

/** One level inside the line where `node` starts (a block given to an arrow function's body). */
export function layoutInside(ctx: FixContext, node: ts.Node): Layout {
  const base = indentAt(ctx.sf.text, node.getStart(ctx.sf));
  const indent = base + ctx.style.indent;
  return { indent, inner: indent + ctx.style.indent, nl: ctx.style.newline };
}

/** Lines (already without indentation) joined at `indent`; the first line carries no indentation (it replaces text after it). */
export function linesAt(lines: readonly string[], layout: Layout, indent = layout.indent): string {
  return lines.map((l, i) => (i === 0 ? l : l === '' ? '' : indent + l)).join(layout.nl);
}

/**
 * An error branch's statements re-indented for a new place; a final `return;` dropped and a final
 * `return expr;` made `expr;` (in a callback of its own, leaving it changes nothing).
 */
export function movedBranch(ctx: FixContext, statements: readonly ts.Statement[], indent: string): string[] {
  const list = statements.slice();
  const last = list[list.length - 1];
  const out: string[] = [];
  let tail: string | undefined;
  if (last && ts.isReturnStatement(last)) {
    list.pop();
    if (last.expression) {
      const e = last.expression;
      tail = reindent(ctx.sf, e.getStart(ctx.sf), e.getEnd(), indentAt(ctx.sf.text, last.getStart(ctx.sf)), indent, ctx.style.newline) + semi(ctx.style);
    }
  }
  if (list.length === 1 && isExpressionBody(list[0]!)) {
    const e = list[0].expressionBody;
    const text = reindent(ctx.sf, e.getStart(ctx.sf), e.getEnd(), indentAt(ctx.sf.text, e.getStart(ctx.sf)), indent, ctx.style.newline) + semi(ctx.style);
    out.push(...text.split(/\r?\n/));
  } else if (list.length) out.push(...statementsText(ctx.sf, list, indent, ctx.style.newline).split(/\r?\n/));
  if (tail) out.push(...tail.split(/\r?\n/));
  return out;
}

/** `(err) => {` or `function (err) {`, as the original callback was written. */
export function callbackHead(kind: 'arrow' | 'function', param: string | undefined): string {
  return kind === 'arrow' ? `(${param ?? ''}) => {` : `function (${param ?? ''}) {`;
}
