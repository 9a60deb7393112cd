/**
 * Text from a repository (file names, code quoted in messages) printed to a terminal must not
 * drive the terminal: a newline would forge a report line, an escape sequence could move the
 * cursor or rewrite what was printed, bidirectional controls reorder what is shown. The JSON and
 * SARIF formats are encoded by JSON itself; the text format and stderr go through here.
 */

/**
 * C0 and C1 controls, DEL, the line and paragraph separators, and the bidirectional controls
 * (the characters of "Trojan Source", CVE-2021-42574).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_TEST = new RegExp(UNSAFE.source);

const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

function escapeOne(c: string): string {
  const short = SHORT_ESCAPES[c];
  if (short) return short;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * A file name as the text report shows it: unchanged when it is plain, else in double quotes
 * with C-style escapes (as git shows such names), so that a name that looks escaped is told
 * apart from one that was.
 */
export function quoteForTerminal(name: string): string {
  if (!UNSAFE_TEST.test(name) && !name.includes('"')) return name;
  return `"${name.replace(/["\\]/g, '\\$&').replace(UNSAFE, escapeOne)}"`;
}

/** Free text (a message quoting code): its unsafe characters escaped, the rest unchanged. */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}
