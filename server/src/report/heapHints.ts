/**
 * Sizes a hover can quote from the code itself: the `highWaterMark` given to the stream call,
 * or the size of the buffer a read loop allocates. Read from the text around the source call
 * with small patterns; anything that is not a plain number expression (`64 * 1024`, `1 << 20`,
 * `0x10000`, `65_536`, or a `const` holding one) is left unknown rather than guessed.
 */
import type { Position } from '../engine';

/** How far before the source call a read loop's buffer allocation is looked for. */
const BUFFER_LOOKBACK_CHARS = 4000;
/** How far after the callee the call's arguments are looked at. */
const CALL_LOOKAHEAD_CHARS = 1000;

export interface HeapHints {
  highWaterMark?: number;
  bufferSize?: number;
  /** The buffer size is an upper bound (`Math.min(1 << 20, size - position)`). */
  bufferSizeIsUpperBound?: boolean;
}

export function heapHints(text: string, sourceCallStart: Position): HeapHints {
  const offset = offsetOf(text, sourceCallStart);
  const hints: HeapHints = {};
  const call = text.slice(offset, offset + CALL_LOOKAHEAD_CHARS);
  const hwm = /highWaterMark\s*:\s*([^,}\n]+)/.exec(call.slice(0, callEnd(call)));
  if (hwm) {
    const value = evaluateSize(hwm[1]!, text);
    if (value !== undefined) hints.highWaterMark = value;
  }
  const before = text.slice(Math.max(0, offset - BUFFER_LOOKBACK_CHARS), offset);
  const allocations = [...before.matchAll(/(?:Buffer\.(?:alloc|allocUnsafe|allocUnsafeSlow)|new\s+Uint8Array)\(/g)];
  const last = allocations.at(-1);
  if (last) {
    const size = firstArgument(before.slice(last.index + last[0].length));
    const min = /^Math\.min\(([\s\S]*)\)$/.exec(size);
    if (min) {
      // The smallest constant among the arguments bounds the buffer from above.
      const bounds = splitArguments(min[1]!).map((a) => evaluateSize(a, text)).filter((v): v is number => v !== undefined);
      if (bounds.length > 0) {
        hints.bufferSize = Math.min(...bounds);
        hints.bufferSizeIsUpperBound = true;
      }
    } else {
      const value = evaluateSize(size, text);
      if (value !== undefined) hints.bufferSize = value;
    }
  }
  return hints;
}

/** The value of a small size expression, resolving one level of `const NAME = <expr>`. */
export function evaluateSize(expression: string, text = '', depth = 0): number | undefined {
  const expr = expression.trim();
  const name = /^[A-Za-z_$][\w$]*$/.exec(expr);
  if (name) {
    if (depth > 2) return undefined;
    const declared = new RegExp(`\\bconst\\s+${expr.replace(/\$/g, '\\$')}\\s*=\\s*([^;\\n]+)`).exec(text);
    return declared ? evaluateSize(declared[1]!, text, depth + 1) : undefined;
  }
  let product = 1;
  for (const factor of expr.split('*')) {
    const shift = factor.split('<<');
    if (shift.length > 2) return undefined;
    const base = literal(shift[0]!);
    if (base === undefined) return undefined;
    const bits = shift.length === 2 ? literal(shift[1]!) : 0;
    if (bits === undefined) return undefined;
    product *= base * 2 ** bits;
  }
  return Number.isSafeInteger(product) && product > 0 ? product : undefined;
}

function literal(token: string): number | undefined {
  const t = token.trim().replace(/^\((.*)\)$/, '$1').trim().replace(/_/g, '');
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t, 16);
  if (/^\d+(\.\d+)?(e\d+)?$/i.test(t)) return Number(t);
  return undefined;
}

/** The text of a call's first argument, given the text just after its opening parenthesis. */
function firstArgument(afterParen: string): string {
  return splitArguments(afterParen.slice(0, Math.max(0, callEnd('(' + afterParen) - 2)))[0] ?? '';
}

/** Top-level comma-separated arguments. */
function splitArguments(list: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      args.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  args.push(list.slice(start).trim());
  return args;
}

/** Index just past the call's closing parenthesis, or the whole slice if it does not close. */
function callEnd(call: string): number {
  let depth = 0;
  for (let i = 0; i < call.length; i++) {
    const c = call[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return call.length;
}

function offsetOf(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + position.character, text.length);
}
