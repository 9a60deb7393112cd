/**
 * Code quoted in a finding's messages. Messages are plain text that reads as Markdown: code goes
 * between backticks. The code comes from the analysed file, so it may hold backticks itself (a
 * template literal, a comment such as `` /*`[a](https://e.x)`*\/ ``), and a naive pair of
 * backticks would end early and let the rest render as Markdown (a live link in a hover). Here the
 * fence is one backtick longer than the longest run inside, as CommonMark defines code spans, and
 * whitespace (newlines included) is collapsed, so a message stays one line and a quoted blank
 * line cannot end the paragraph the span is in.
 */

/** Quoted code longer than this is cut, with an ellipsis. */
const MAX_CODE_CHARS = 40;

export function codeSpan(code: string, max = MAX_CODE_CHARS): string {
  let text = code.replace(/\s+/g, ' ');
  if (text.length > max) text = text.slice(0, max - 3) + '…';
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // CommonMark strips one space from each end when both are there: pad code that starts or ends
  // with a backtick or a space, so what is shown is what was written.
  const padded = /^[` ]|[` ]$/.test(text) || text === '' ? ` ${text} ` : text;
  return fence + padded + fence;
}
