/**
 * stream: a whole read becomes a read stream piped to the target, with no new dependency. Used
 * where sendfile cannot help (TLS encrypts in user space) and offered beside sendfile elsewhere:
 * it caps the memory at one chunk.
 *
 * The stream is opened and its first chunk read (`'readable'`) before the success path's head is
 * set, so that a missing file, a directory or an unreadable one reaches the original error branch
 * with the very error the read gave (same code, message and syscall) and the response untouched:
 * the head and error handling stay exactly as written. A failure after the first bytes went out
 * cuts the response (`destroy`), as any failed stream does; the original had read the whole file
 * first, so it would have answered with its error branch instead (documented in the rule pages).
 * A Content-Length computed from the bytes is dropped: the body goes out chunked.
 */
import ts from 'typescript';
import type { FixContext } from '../context';
import type { Rewrite } from '../rewrite';
import { checkTail, wholeRead } from '../wholeRead';
import { analyseHead, emptyHead, type Head } from '../responseHead';
import { checkOtherUses, checkPayload } from '../payload';
import { errorPathOf, isAsync } from '../errorPath';
import { proveFreshResponse } from '../prestate';
import { checkErrorUse } from '../checks';
import { enclosingFunction, methodName, siblingsOf, usesOwnThisOrArguments } from '../ast';
import { layoutAt, movedBranch } from '../emit';
import { statementsText } from '../text';
import { refuse } from '../refuse';
import { nodeModule, semi } from '../style';
import { isRequestHandlerFunction } from '../handlers';
import { describeTarget, sendOf, spanOf } from './sendfile';
import { isTarget } from '../responseHead';
import { readLoopToSendFile } from './readLoop';

export const STREAM_TITLE = 'Stream the file (createReadStream().pipe(): one chunk in memory at a time)';

/** The expression for fs's `name` (createReadStream, fstatSync), reached as the read's own fs was. */
export function fsRef(ctx: FixContext, imports: ReturnType<FixContext['imports']>, readCallee: ts.Expression, name: string): string {
  // `fs.readFile` / `fs.promises.readFile` / `require('fs').readFile`: the same module object.
  let e = readCallee;
  while (ts.isPropertyAccessExpression(e) && ts.isPropertyAccessExpression(e.expression)) e = e.expression;
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) {
    const isFs = ctx.ev.eval(e.expression).some((v) => v.t === 'mod' && v.name === 'fs');
    if (isFs) return `${e.expression.text}.${name}`;
  }
  return imports.named(nodeModule(ctx.style, 'fs'), name);
}

export function streamRewrite(ctx: FixContext): Rewrite {
  if (ctx.finding.rule === 'read-loop-to-socket') return readLoopToSendFile(ctx, 'stream');
  if (ctx.finding.holds !== 'whole-file') refuse('the file is already streamed');
  const read = wholeRead(ctx);
  const send = sendOf(ctx);
  const { target, method } = send;
  const t = target.expr.getText(ctx.sf);
  const s = semi(ctx.style);
  let head: Head;
  let taken = 0;
  let endTarget = true;
  const endsTarget = (st: ts.Statement) =>
    ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) && methodName(st.expression) === 'end' && st.expression.arguments.length === 0 && ts.isPropertyAccessExpression(st.expression.expression) && isTarget(ctx, target, st.expression.expression.expression);
  if (target.kind === 'http-response') {
    if (method === 'send') refuse("express's `res.send` also sends an ETag computed from the bytes; a stream has none to give");
    taken = method === 'write' ? checkTail(ctx, read.tail, endsTarget) : checkTail(ctx, read.tail);
    if (method !== 'end' && taken === 0) refuse(`the bytes are written with \`${method}\``);
    head = analyseHead(ctx, read, target, read.region.slice(0, -1), send.chain, 'keep');
  } else if (target.kind === 'socket' || target.kind === 'tls-socket') {
    if (method !== 'end' && method !== 'write') refuse(`the bytes are written with \`${method}\``);
    taken = method === 'write' ? checkTail(ctx, read.tail, endsTarget) : checkTail(ctx, read.tail);
    endTarget = method === 'end' || taken > 0;
    if (read.region.length > 1 || send.chain.length) refuse('something is written to the socket before the file only when the read succeeds');
    head = emptyHead();
  } else {
    return refuse(`the bytes go to ${describeTarget(target)}; the stream rewrite here is for HTTP/1 responses and sockets`);
  }
  const payload = send.call.arguments[0];
  checkPayload(ctx, read, payload, send.call.arguments[1]);
  checkOtherUses(ctx, read, payload!, head.dropped);

  const fn = enclosingFunction(read.statement);
  const awaited = read.form === 'await' || (read.form === 'sync' && isAsync(fn));
  const path = errorPathOf(ctx, read);
  let replaceFrom: ts.Statement = read.statement;
  const lastStatement = read.form === 'callback' ? read.statement : taken ? read.tail[taken - 1]! : read.sendStatement;
  let replaceTo: ts.Statement = lastStatement;
  if (read.form === 'sync' && !awaited) {
    if (path.to === 'catch') {
      const tryStatement = path.tryStatement;
      const inTry = tryStatement.tryBlock.statements;
      if (tryStatement.finallyBlock) refuse('the read is in a `try` with `finally`, which would run before the stream has finished');
      if (inTry[0] !== read.statement || inTry[inTry.length - 1] !== lastStatement) refuse('the `try` around the synchronous read holds more than the read and the send');
      const after = siblingsOf(tryStatement)!;
      checkTail(ctx, after.slice(after.indexOf(tryStatement) + 1));
      replaceFrom = tryStatement;
      replaceTo = tryStatement;
    } else if (!(fn && isRequestHandlerFunction(ctx, fn))) {
      refuse('the synchronous read throws its error to the caller of this function, where the stream would report it later, when no one catches it');
    }
  }

  if (target.kind === 'http-response') proveFreshResponse(ctx, target.expr, spanOf(replaceFrom, replaceTo), new Set(), false, path.to === 'catch' ? [path.tryStatement.catchClause!] : []);
  const imports = ctx.imports();
  const create = fsRef(ctx, imports, read.call.expression, 'createReadStream');
  const name = imports.freshName(read.data ? `${read.data.text}Stream` : 'fileStream');
  const layout = layoutAt(ctx, replaceFrom);
  const { indent, inner, nl } = layout;
  // The success head as written (it now runs once the file proved readable), unless a value was
  // dropped from it (a Content-Length from the bytes): then as set header by header.
  const verbatim = head.dropped.length === 0 && send.chain.length === 0;
  const headLines = verbatim ? read.region.slice(0, -1).flatMap((st) => statementsText(ctx.sf, [st], '', nl).split(/\r?\n/)) : [...head.lines];
  // `res.end(data)` on an unbuilt head declared the length; a stream would go chunked: the file's
  // size, from the descriptor the stream opened (what it then reads), keeps it.
  const buildsHead = [...read.region.slice(0, -1), ...send.chain].some((n) => /\bwriteHead\s*\(/.test(n.getText(ctx.sf)));
  const declaredFromBytes = head.dropped.length > 0;
  const endDeclared = method === 'end' && !buildsHead && !head.names.has('content-length');
  if (target.kind === 'http-response' && (declaredFromBytes || endDeclared)) {
    const fstat = fsRef(ctx, imports, read.call.expression, 'fstatSync');
    const fd = ctx.style.typescript ? `(${name} as unknown as { fd: number }).fd` : `${name}.fd`;
    headLines.push(`${t}.setHeader('Content-Length', ${fstat}(${fd}).size)${s}`);
  }
  const pipe = endTarget ? `${name}.pipe(${t})${s}` : `${name}.pipe(${t}, { end: false })${s}`;
  const cut = target.kind === 'http-response' ? `if (${t}.headersSent) return ${t}.destroy()${s}` : `if (${name}.readableDidRead) return ${t}.destroy()${s}`;
  const out: string[] = [`const ${name} = ${create}(${read.path.getText(ctx.sf)})${s}`];
  if (awaited) {
    if (path.to === 'catch') checkErrorUse(ctx, path.param ? ctx.ev.scopes.declaredBy(path.param) : undefined, path.statements);
    const once = imports.named(nodeModule(ctx.style, 'events'), 'once');
    out.push(`await ${once}(${name}, 'readable')${s}`);
    out.push(...headLines);
    out.push(`${name}.on('error', () => ${t}.destroy())${s}`);
    out.push(`${t}.on('close', () => ${name}.destroy())${s}`);
    out.push(pipe);
    if (ts.isReturnStatement(read.sendStatement) && read.sendStatement.expression && !(fn && isRequestHandlerFunction(ctx, fn))) out.push(`return ${t}${s}`);
  } else {
    let errorLines: string[];
    let param: string | undefined;
    let fnKind: 'arrow' | 'function' = 'arrow';
    if (path.to === 'branch' || path.to === 'catch') {
      const p = path.to === 'branch' ? read.errParam : path.param;
      checkErrorUse(ctx, p ? ctx.ev.scopes.declaredBy(p) : undefined, path.statements);
      errorLines = movedBranch(ctx, path.statements, inner);
      param = p?.text;
      if (read.callback && ts.isFunctionExpression(read.callback) && usesOwnThisOrArguments(read.callback)) fnKind = 'function';
    } else {
      // Nothing handled the read's error: an uncaught exception now, as the rejection was.
      errorLines = [`${inner}throw err${s}`];
      param = 'err';
    }
    const usesParam = param !== undefined && errorLines.some((l) => new RegExp(`\\b${param}\\b`).test(l));
    const errHead = fnKind === 'arrow' ? `(${usesParam ? param : ''}) => {` : `function (${usesParam ? param : ''}) {`;
    out.push(`${name}.on('error', ${errHead}`, `${ctx.style.indent}${cut}`, ...errorLines.map((l) => l.slice(indent.length)), '})' + s);
    out.push(`${name}.once('readable', () => {`);
    out.push(...headLines.map((l) => ctx.style.indent + l), ctx.style.indent + pipe);
    out.push('})' + s);
    out.push(`${t}.on('close', () => ${name}.destroy())${s}`);
    if (read.returned) out.push(`return${s}`);
  }
  const text = out.map((l, i) => (i === 0 || l === '' ? l : indent + l)).join(nl);
  return { kind: 'stream', title: STREAM_TITLE, edits: [{ start: replaceFrom.getStart(ctx.sf), end: replaceTo.getEnd(), newText: text }], imports };
}
