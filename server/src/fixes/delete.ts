/** Deleting a statement with the line it stands on (its indentation and line break too). */
import ts from 'typescript';
import type { FixContext } from './context';
import type { OffsetEdit } from './rewrite';
import { leadingCommentStart, lineStartOf } from './text';

export function deleteStatement(ctx: FixContext, st: ts.Statement): OffsetEdit {
  const text = ctx.sf.text;
  let start = leadingCommentStart(ctx.sf, st);
  let end = st.getEnd();
  const lineStart = lineStartOf(text, start);
  const ownsLine = /^[ \t]*$/.test(text.slice(lineStart, start));
  // The rest of the line after the statement: a trailing comment goes with it.
  const rest = /^[ \t]*(\/\/[^\n]*)?(\r?\n)?/.exec(text.slice(end))!;
  if (ownsLine && rest[2]) {
    start = lineStart;
    end += rest[0].length;
  }
  return { start, end, newText: '' };
}
