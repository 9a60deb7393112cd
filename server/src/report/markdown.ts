/**
 * Markdown built from what a repository wrote. A finding's messages quote the analysed code in
 * code spans (engine/codeSpan.ts fences them safely); everything else in them is the engine's own
 * words. Still, a message is re-read here span by span, as CommonMark reads it: the code goes back
 * into a fenced span, and the text around it is escaped, so no link, image, HTML or emphasis can
 * come out of a message whatever it holds.
 */
import { codeSpan } from '../engine/codeSpan';

/**
 * ASCII punctuation with a meaning in CommonMark or GFM (emphasis, links, HTML, entities, tables,
 * strikethrough, block starts, and the `:` / `@` / `.` of autolinked URLs and e-mail addresses):
 * each is backslash-escaped in text, which CommonMark renders as the character itself.
 */
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+\-.!|<>~&:@]/g;

/** Plain text as Markdown that renders as exactly that text, on one line. */
export function markdownText(text: string): string {
  return text.replace(/\s+/g, ' ').replace(MARKDOWN_PUNCTUATION, '\\$&');
}

/** Code as a Markdown code span, whatever backticks it holds (never cut). */
export function markdownCode(code: string): string {
  return codeSpan(code, Number.POSITIVE_INFINITY);
}

/** A finding's message (text with code spans) as safe Markdown: the spans kept, the text escaped. */
export function messageMarkdown(message: string): string {
  return codeSpans(message)
    .map((part) => ('code' in part ? markdownCode(part.code) : markdownText(part.text)))
    .join('');
}

type Part = { text: string } | { code: string };

/**
 * Splits text into code spans and the text between them as CommonMark does: a run of n backticks
 * opens a span that the next run of exactly n backticks closes; a run that is never closed is text.
 */
export function codeSpans(message: string): Part[] {
  const parts: Part[] = [];
  let text = '';
  let i = 0;
  while (i < message.length) {
    if (message[i] !== '`') {
      text += message[i++];
      continue;
    }
    const open = runLength(message, i);
    let close = -1;
    for (let j = i + open; j < message.length; ) {
      if (message[j] !== '`') {
        j++;
        continue;
      }
      const run = runLength(message, j);
      if (run === open) {
        close = j;
        break;
      }
      j += run;
    }
    if (close < 0) {
      text += message.slice(i, i + open);
      i += open;
      continue;
    }
    if (text) parts.push({ text });
    text = '';
    let code = message.slice(i + open, close).replace(/\r\n|\r|\n/g, ' ');
    // CommonMark drops one space at each end when both ends have one (and it is not all spaces).
    if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1);
    parts.push({ code });
    i = close + open;
  }
  if (text) parts.push({ text });
  return parts;
}

function runLength(text: string, at: number): number {
  let n = 0;
  while (text[at + n] === '`') n++;
  return n;
}
