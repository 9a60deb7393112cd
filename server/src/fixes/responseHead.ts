/**
 * The response head a success path sets before it sends (`res.writeHead(200, {…})`,
 * `res.setHeader(…)`, `res.statusCode = …`, express's `res.status/type/set`), turned into
 * statements that set the same head without building it — sendFile builds the head itself, once
 * the file is open, with the right Content-Length.
 */
import ts from 'typescript';
import { skipOuter, propertyNameText } from '../engine/scope';
import type { FixContext } from './context';
import type { Target } from './target';
import type { WholeRead } from './wholeRead';
import { callChain, literalText, methodName, quote } from './ast';
import { isLengthOfBytes } from './payload';
import { refuse } from './refuse';
import { semi } from './style';

export interface Head {
  /** The statements to write before the send, in order, without indentation. */
  lines: string[];
  /** Lower-case names of the headers set. */
  names: Set<string>;
  /** A setter whose header names cannot be listed (express's `res.set(obj)`, `res.attachment()`). */
  unknownNames: string | undefined;
  /** The status set, as written; and whether it is the literal 200. */
  status?: { text: string; is200: boolean };
  statusMessage: boolean;
  /** Expressions the rewrite drops (a Content-Length from the bytes' length: sendFile sets it). */
  dropped: ts.Node[];
}

/** express's setters: which header each sets (undefined: depends on its arguments). */
const EXPRESS_SETTERS: Record<string, string | undefined> = {
  type: 'content-type',
  contentType: 'content-type',
  attachment: undefined,
  set: undefined,
  header: undefined,
  append: undefined,
  vary: 'vary',
  location: 'location',
  links: 'link',
  cookie: 'set-cookie',
  clearCookie: 'set-cookie',
};

/** Whether `e` is the target (`res`), by binding for names. */
export function isTarget(ctx: FixContext, target: Target, e: ts.Expression): boolean {
  const a = skipOuter(e);
  const b = target.expr;
  if (ts.isIdentifier(a) && ts.isIdentifier(b)) {
    const ba = ctx.ev.scopes.resolve(a);
    return ba !== undefined && ba === ctx.ev.scopes.resolve(b);
  }
  return a.getText(ctx.sf) === b.getText(ctx.sf);
}

export function emptyHead(): Head {
  return { lines: [], names: new Set(), unknownNames: undefined, statusMessage: false, dropped: [] };
}

/**
 * The head set by `statements` (all before the send) and by the calls chained before the send
 * method (`res.writeHead(200).end(x)`). No fix for anything else among them: it would run at
 * another time, or only on success, after the rewrite.
 */
export function analyseHead(
  ctx: FixContext,
  read: WholeRead | undefined,
  target: Target,
  statements: readonly ts.Statement[],
  sendChain: readonly ts.CallExpression[],
  /** A Content-Length not computed from the bytes: refused (sendFile sets its own) or kept as written (a stream). */
  otherContentLength: 'refuse' | 'keep' = 'refuse',
): Head {
  const head = emptyHead();
  const t = target.expr.getText(ctx.sf);
  const s = semi(ctx.style);
  /** `name` is the header's name when literal; `nameText` how the file writes it. */
  const setHeader = (name: string | undefined, nameText: string, value: ts.Expression, original?: string) => {
    if (name === undefined) {
      head.unknownNames ??= '`' + nameText + '`';
    } else if (name.toLowerCase() === 'content-length') {
      if (read && isLengthOfBytes(ctx, read, value)) {
        head.dropped.push(value);
        return;
      }
      if (otherContentLength === 'refuse') refuse(`the code sets Content-Length to ${quote(ctx.sf, value)}; sendFile sets it from the file, and refuses a different one`);
      head.names.add('content-length');
    } else {
      head.names.add(name.toLowerCase());
    }
    head.lines.push(original ?? `${t}.setHeader(${nameText}, ${value.getText(ctx.sf)})${s}`);
  };
  const setStatus = (value: ts.Expression, original?: string) => {
    const v = skipOuter(value);
    head.status = { text: value.getText(ctx.sf), is200: ts.isNumericLiteral(v) && v.text === '200' };
    head.lines.push(original ?? `${t}.statusCode = ${value.getText(ctx.sf)}${s}`);
  };
  const express = (call: ts.CallExpression, name: string) => {
    if (target.kind !== 'http-response') refuse(`${quote(ctx.sf, call)} is not a method of this response`);
    if (name === 'status') {
      const arg = call.arguments[0];
      if (!arg) refuse(`${quote(ctx.sf, call)} sets no status`);
      const v = skipOuter(arg);
      head.status = { text: arg.getText(ctx.sf), is200: ts.isNumericLiteral(v) && v.text === '200' };
      return;
    }
    const fixed = EXPRESS_SETTERS[name];
    if (fixed) head.names.add(fixed);
    else if ((name === 'set' || name === 'header' || name === 'append') && literalText(call.arguments[0]) !== undefined) {
      const n = literalText(call.arguments[0])!.toLowerCase();
      if (n === 'content-length') refuse(`the code sets Content-Length itself (${quote(ctx.sf, call)})`);
      head.names.add(n);
    } else head.unknownNames ??= quote(ctx.sf, call);
  };
  const chainCall = (call: ts.CallExpression): void => {
    const name = methodName(call);
    const args = call.arguments;
    if (name === 'setHeader' && args.length === 2) return setHeader(literalText(args[0]), args[0]!.getText(ctx.sf), args[1]!);
    if (name === 'writeHead') return writeHead(call);
    if (name !== undefined && (name === 'status' || name in EXPRESS_SETTERS)) {
      express(call, name);
      head.lines.push(`${t}.${name}(${args.map((a) => a.getText(ctx.sf)).join(', ')})${s}`);
      return;
    }
    refuse(`${quote(ctx.sf, call)} runs only when the read succeeds, and the rewrite cannot keep it there`);
  };
  const writeHead = (call: ts.CallExpression): void => {
    const [status, second, third] = call.arguments;
    if (!status || call.arguments.length > 3) refuse(`${quote(ctx.sf, call)} is not \`writeHead(status[, message][, headers])\``);
    setStatus(status);
    let headers = third;
    if (second && literalText(second) !== undefined) {
      head.statusMessage = true;
      head.lines.push(`${t}.statusMessage = ${second.getText(ctx.sf)}${s}`);
    } else if (second && !third) headers = second;
    else if (second) refuse(`the status message ${quote(ctx.sf, second)} of ${quote(ctx.sf, call, 30)} is not a literal`);
    if (!headers) return;
    const h = skipOuter(headers);
    if (!ts.isObjectLiteralExpression(h)) refuse(`the headers ${quote(ctx.sf, headers)} of \`writeHead\` are not written out, so they cannot be set one by one`);
    for (const p of h.properties) {
      if (!ts.isPropertyAssignment(p)) refuse(`the header ${quote(ctx.sf, p)} is not a plain \`name: value\``);
      const name = propertyNameText(p.name);
      if (name === undefined || ts.isComputedPropertyName(p.name)) refuse(`the header name ${quote(ctx.sf, p.name)} is computed`);
      const nameText = ts.isStringLiteral(p.name) ? p.name.getText(ctx.sf) : ctx.style.quote + name + ctx.style.quote;
      setHeader(name, nameText, p.initializer);
    }
  };
  for (const st of statements) {
    if (!ts.isExpressionStatement(st)) refuse(`${quote(ctx.sf, st)} runs only when the read succeeds, and the rewrite cannot keep it there`);
    const e = skipOuter(st.expression);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(e.left) && isTarget(ctx, target, e.left.expression)) {
      const prop = e.left.name.text;
      if (prop === 'statusCode') {
        setStatus(e.right, st.getText(ctx.sf));
        continue;
      }
      if (prop === 'statusMessage') {
        head.statusMessage = true;
        head.lines.push(st.getText(ctx.sf));
        continue;
      }
      refuse(`${quote(ctx.sf, st)} is not part of the response head`);
    }
    const { root, calls } = callChain(e);
    if (!ts.isCallExpression(e) || calls.length === 0 || !isTarget(ctx, target, root)) refuse(`${quote(ctx.sf, st)} runs only when the read succeeds, and the rewrite cannot keep it there`);
    // A plain setHeader statement is kept as written.
    if (calls.length === 1 && methodName(calls[0]!) === 'setHeader' && calls[0]!.arguments.length === 2) {
      setHeader(literalText(calls[0]!.arguments[0]), calls[0]!.arguments[0]!.getText(ctx.sf), calls[0]!.arguments[1]!, st.getText(ctx.sf));
      continue;
    }
    for (const c of calls) chainCall(c);
  }
  for (const c of sendChain) chainCall(c);
  return head;
}
