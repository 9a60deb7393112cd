/**
 * Whether what the code writes is the file's bytes as they are on disk, and whether the bytes are
 * used for anything else (a rewrite that no longer reads them cannot serve that use).
 */
import ts from 'typescript';
import { skipOuter } from '../engine/scope';
import type { FixContext } from './context';
import type { WholeRead } from './wholeRead';
import { inside, lineOf, literalText, quote } from './ast';
import { refuse } from './refuse';

/** 'exact': byte for byte. 'utf8': decoded and re-encoded as UTF-8, exact for any valid UTF-8 file. */
export type Fidelity = 'exact' | 'utf8';

const UTF8 = new Set(['utf8', 'utf-8']);
const LATIN1 = new Set(['latin1', 'binary']);

function roundTrip(read: string, written: string): Fidelity {
  if (UTF8.has(read) && UTF8.has(written)) return 'utf8';
  if (LATIN1.has(read) && LATIN1.has(written)) return 'exact';
  return refuse(`the file is decoded as ${read} and written as ${written}: the bytes on the wire are not the file's`);
}

/** Whether `e` is the bytes: the name that holds them, or the read itself (written straight in). */
export function isTheBytes(ctx: FixContext, read: WholeRead, e: ts.Expression): boolean {
  const x = skipOuter(e);
  if (read.dataBinding && ts.isIdentifier(x)) return ctx.ev.scopes.resolve(x) === read.dataBinding;
  if (!read.data) {
    const inner = ts.isAwaitExpression(x) ? skipOuter(x.expression) : x;
    return inner === read.call;
  }
  return false;
}

/**
 * The payload written (`data`, `data.toString()`, `String(data)`), checked against the read's
 * encoding and the write's (`writeEncoding`: the literal the send names, default UTF-8).
 */
export function checkPayload(ctx: FixContext, read: WholeRead, payload: ts.Expression | undefined, writeEncoding: ts.Expression | undefined): Fidelity {
  if (!payload) refuse('the send writes nothing');
  let e = skipOuter(payload);
  let decoded: string | undefined = read.encoding;
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(skipOuter(e.expression)) && (skipOuter(e.expression) as ts.PropertyAccessExpression).name.text === 'toString' && e.arguments.length <= 1) {
    const enc = e.arguments[0] ? literalText(e.arguments[0]) : 'utf8';
    if (enc === undefined) refuse(`the bytes are decoded with ${quote(ctx.sf, e.arguments[0]!)}, not a literal encoding`);
    if (decoded === undefined) decoded = enc.toLowerCase();
    e = skipOuter((skipOuter(e.expression) as ts.PropertyAccessExpression).expression);
  } else if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'String' && e.arguments.length === 1) {
    if (decoded === undefined) decoded = 'utf8';
    e = skipOuter(e.arguments[0]!);
  }
  if (!isTheBytes(ctx, read, e)) refuse(`the send writes ${quote(ctx.sf, payload)}, not the bytes as read`);
  if (decoded === undefined) return 'exact';
  let written = 'utf8';
  if (writeEncoding && !ts.isFunctionLike(skipOuter(writeEncoding))) {
    const lit = literalText(writeEncoding);
    if (lit === undefined) refuse(`the text is written with the encoding ${quote(ctx.sf, writeEncoding)}, which is not a literal`);
    written = lit.toLowerCase();
  }
  return roundTrip(decoded, written);
}

/**
 * No fix when the bytes are used anywhere but in the payload and in values the rewrite drops
 * (a Content-Length computed from them, which sendFile sets itself).
 */
export function checkOtherUses(ctx: FixContext, read: WholeRead, payload: ts.Node, dropped: readonly ts.Node[]): void {
  if (!read.dataBinding) return;
  for (const ref of ctx.ev.scopes.refsOf(read.dataBinding)) {
    if (inside(ref, payload) || dropped.some((d) => inside(ref, d))) continue;
    if (read.assigned && ref === skipOuter(read.assigned.assignment.left)) continue;
    const use = ref.parent && (ts.isPropertyAccessExpression(ref.parent) || ts.isCallExpression(ref.parent)) ? ref.parent : ref;
    refuse(`\`${read.data!.text}\` is also used at line ${lineOf(ctx.sf, ref)} (${quote(ctx.sf, use, 50)}): the bytes are needed besides being sent`);
  }
  // Assigned to? Then it is not only the read's bytes.
  if (ctx.ev.scopes.assignmentsOf(read.dataBinding).length > (read.assigned ? 1 : 0)) refuse(`\`${read.data!.text}\` is assigned again`);
}

/** Whether an expression is the length of the bytes (`data.length`, `data.byteLength`, `Buffer.byteLength(data[, enc])`). */
export function isLengthOfBytes(ctx: FixContext, read: WholeRead, e: ts.Expression): boolean {
  const x = skipOuter(e);
  if (ts.isPropertyAccessExpression(x) && (x.name.text === 'length' || x.name.text === 'byteLength')) {
    // A string's .length counts UTF-16 units, not bytes: only a Buffer's is the byte length.
    return isTheBytes(ctx, read, x.expression) && (x.name.text === 'byteLength' || read.encoding === undefined);
  }
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'byteLength' && ts.isIdentifier(x.expression.expression) && x.expression.expression.text === 'Buffer' && x.arguments[0]) {
    return isTheBytes(ctx, read, x.arguments[0]);
  }
  return false;
}
