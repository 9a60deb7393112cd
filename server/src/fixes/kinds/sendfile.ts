/**
 * sendfile: a whole read sent to an HTTP/1 response or a socket becomes zerocopy's
 * `sendFile(target, file)`, in the file's style (`await` in async code, `.catch` in callback code).
 * Streams are kinds/sendfileStream.ts.
 *
 * What sendFile does (native/README.md): it opens and checks the file before it touches the target
 * (ENOENT, EISDIR and a range past the end reject with the target untouched); to an HTTP/1
 * response it sets Content-Length, writes head and body and ends the response (HEAD gets the
 * head); a socket is not ended. A failure in the middle destroys the target. So the rewrite:
 * - sets the success path's head first, without building it (writeHead becomes statusCode and
 *   setHeader), and takes it off again on an early failure when the error branch answers from it;
 * - runs the original error branch only for early failures (`if (res.headersSent) return`): a
 *   failure mid-body is what a broken connection did to `res.end(data)` too, which no code saw;
 * - ends a socket the original ended.
 */
import ts from 'typescript';
import type { FixContext } from '../context';
import type { OffsetEdit, Rewrite } from '../rewrite';
import { deleteStatement } from '../delete';
import { checkTail, wholeRead, type WholeRead } from '../wholeRead';
import { targetOf, type Target } from '../target';
import { analyseHead, emptyHead, isTarget, type Head } from '../responseHead';
import { checkOtherUses, checkPayload } from '../payload';
import { errorEffects } from '../errorBranch';
import { errorPathOf, isAsync, type ErrorPath } from '../errorPath';
import { proveFreshResponse } from '../prestate';
import { checkErrorUse, checkMovable } from '../checks';
import { callChain, enclosingFunction, methodName, siblingsOf, usesOwnThisOrArguments } from '../ast';
import { layoutAt, layoutInside, movedBranch } from '../emit';
import { failureHandler, type OnFailure } from '../failure';
import { refuse } from '../refuse';
import { semi } from '../style';
import { isRequestHandlerFunction } from '../handlers';
import { streamToSendFile } from './sendfileStream';
import { koaSendFile } from './koa';
import { readLoopToSendFile } from './readLoop';

export const SENDFILE_TITLE = "Send the file with zerocopy's sendFile() (sendfile(2): no copy through JavaScript)";

export function sendfileRewrite(ctx: FixContext): Rewrite {
  if (ctx.finding.rule === 'read-loop-to-socket') return readLoopToSendFile(ctx);
  if (ctx.sink && ts.isBinaryExpression(ctx.sink)) return koaSendFile(ctx);
  if (ctx.finding.holds === 'whole-file') return wholeToSendFile(ctx, 'sendfile');
  return streamToSendFile(ctx);
}

export function describeTarget(t: Target): string {
  switch (t.kind) {
    case 'http-response':
      return 'an HTTP/1 response';
    case 'http2-compat':
      return 'an HTTP/2 compatibility response';
    case 'http2-stream':
      return 'an HTTP/2 stream';
    case 'socket':
      return 'a socket';
    case 'tls-socket':
      return 'a TLS socket';
    case 'http-request':
      return 'an outgoing request';
    case 'koa':
      return 'a koa response body';
    case 'fastify':
      return 'a fastify reply';
    case 'hapi':
      return 'a hapi response';
  }
}

/** Why there is no sendfile rewrite for this kind of target. */
export function unsupportedTarget(target: Target): string {
  switch (target.kind) {
    case 'fastify':
      return 'fastify keeps the reply\'s headers and status to itself until it sends, and runs its hooks on the way out; sendFile under it (on `reply.raw`) would skip them, so no fix is offered for fastify';
    case 'hapi':
      return 'hapi builds the response itself after the handler returns; no fix is offered for hapi';
    case 'http-request':
      return 'an upload: the request is created and ended around the bytes, which a rewrite would have to restructure';
    case 'http2-stream':
    case 'http2-compat':
      return 'the target is HTTP/2: see the respondWithFile fix';
    default:
      return `the bytes go to ${describeTarget(target)}; sendFile's rewrite here is for HTTP/1 responses and sockets`;
  }
}

/** The send of a whole read: the call, its target and the calls chained before it. */
export interface Send {
  call: ts.CallExpression;
  method: string;
  target: Target;
  /** `res.writeHead(200)` in `res.writeHead(200).end(data)`. */
  chain: ts.CallExpression[];
}

export function sendOf(ctx: FixContext): Send {
  const sink = ctx.sink;
  if (!sink) refuse(ctx.noSink());
  if (!ts.isCallExpression(sink)) refuse(ts.isReturnStatement(sink) ? 'the handler returns the bytes to a framework that sends them itself (fastify); no fix is offered for that yet' : 'the bytes are not sent by a method call');
  const { root, calls } = callChain(sink);
  return { call: sink, method: methodName(sink) ?? '', target: targetOf(ctx, root), chain: calls.slice(0, -1) };
}

/** Whether `s` is `target.end()` with no arguments (what ends a response or socket after a write). */
function endsTarget(ctx: FixContext, target: Target): (s: ts.Statement) => boolean {
  return (s) => {
    if (!ts.isExpressionStatement(s) || !ts.isCallExpression(s.expression)) return false;
    const c = s.expression;
    return methodName(c) === 'end' && c.arguments.length === 0 && ts.isPropertyAccessExpression(c.expression) && isTarget(ctx, target, c.expression.expression);
  };
}

/**
 * A whole read sent with sendFile: as `sendfile` to an HTTP/1 response or a socket, as
 * `respondWithFile` to an HTTP/2 compatibility response (sendFile answers it with respondWithFD,
 * from the response's status and headers).
 */
export function wholeToSendFile(ctx: FixContext, kind: 'sendfile' | 'respondWithFile'): Rewrite {
  const read = wholeRead(ctx);
  const send = sendOf(ctx);
  const { target, method } = send;
  const t = target.expr.getText(ctx.sf);
  let head: Head;
  let ends: boolean;
  let taken = 0;
  const responseLike = kind === 'sendfile' ? target.kind === 'http-response' : target.kind === 'http2-compat';
  if (responseLike) {
    if (method === 'send') {
      refuse("express's `res.send` also sends an ETag computed from the bytes and answers 304 to a matching If-None-Match; sendFile, which never reads the bytes, would drop both");
    }
    if (method === 'write') taken = checkTail(ctx, read.tail, endsTarget(ctx, target));
    else checkTail(ctx, read.tail);
    if (method !== 'end' && taken === 0) refuse(`the bytes are written with \`${method}\`${method === 'write' ? ', and the response is not ended right after' : ''}`);
    head = analyseHead(ctx, read, target, read.region.slice(0, -1), send.chain);
    ends = false;
  } else if (target.kind === 'http2-compat') {
    return refuse('the response is HTTP/2: see the respondWithFile fix');
  } else if (target.kind === 'socket') {
    if (method !== 'end' && method !== 'write') refuse(`the bytes are written with \`${method}\``);
    taken = method === 'write' ? checkTail(ctx, read.tail, endsTarget(ctx, target)) : (checkTail(ctx, read.tail), 0);
    if (read.region.length > 1 || send.chain.length) refuse('something is written to the socket before the file only when the read succeeds; the rewrite would write it on failure too');
    head = emptyHead();
    ends = method === 'end' || taken > 0;
  } else if (target.kind === 'tls-socket') {
    return refuse('the socket is TLS: sendFile can only stream there (see the stream fix)');
  } else {
    return refuse(unsupportedTarget(target));
  }
  const payload = send.call.arguments[0];
  checkPayload(ctx, read, payload, send.call.arguments[1]);
  checkOtherUses(ctx, read, payload!, head.dropped);
  checkMovable(ctx, [...read.region.slice(0, -1), ...send.chain], read.statement.getStart(ctx.sf), read.callback, head.dropped);

  const fn = enclosingFunction(read.statement);
  const awaited = read.form === 'await' || (read.form === 'sync' && isAsync(fn));
  const path = errorPathOf(ctx, read);
  // A synchronous read in a synchronous function: its error is thrown where it is read.
  let replaceFrom: ts.Node = read.statement;
  let replaceTo: ts.Node = read.form === 'callback' ? read.statement : lastOf(read, taken);
  if (read.form === 'sync' && !awaited && !read.assigned) {
    if (path.to === 'catch') {
      const tryStatement = path.tryStatement;
      const inTry = tryStatement.tryBlock.statements;
      if (tryStatement.finallyBlock) refuse('the read is in a `try` with `finally`, which would run before sendFile has finished');
      if (inTry[0] !== read.statement || inTry[inTry.length - 1] !== lastOf(read, taken)) refuse('the `try` around the synchronous read holds more than the read and the send');
      checkTail(ctx, siblingsOf(tryStatement)?.slice(siblingsOf(tryStatement)!.indexOf(tryStatement) + 1) ?? []);
      replaceFrom = tryStatement;
      replaceTo = tryStatement;
    } else if (!(fn && isRequestHandlerFunction(ctx, fn))) {
      refuse('the synchronous read throws its error to the caller of this function, where sendFile would reject later, when no one catches it');
    }
  }
  const span = read.assigned ? spanOf(read.assigned.declaration, replaceTo as ts.Statement) : spanOf(replaceFrom as ts.Statement, replaceTo as ts.Statement);
  const errorBranch = path.to === 'catch' ? [path.tryStatement.catchClause!] : read.assigned ? [read.assigned.tryStatement.catchClause!] : [];
  if (responseLike) proveFreshResponse(ctx, target.expr, span, new Set(), false, errorBranch);
  const undo = responseLike ? undoFor(ctx, span, target, head, path) : [];

  // What a failure runs.
  let onFailure: OnFailure;
  const layout = read.arrowBody ? layoutInside(ctx, read.arrowBody) : layoutAt(ctx, replaceFrom);
  if (awaited && !read.assigned) {
    if (path.to === 'catch') checkErrorUse(ctx, path.param ? ctx.ev.scopes.declaredBy(path.param) : undefined, path.statements);
    onFailure = { kind: 'rethrow' };
  } else if (path.to === 'branch' || path.to === 'catch') {
    const param = path.to === 'branch' ? read.errParam : path.param;
    checkErrorUse(ctx, param ? ctx.ev.scopes.declaredBy(param) : undefined, path.statements);
    const fnKind = read.callback && ts.isFunctionExpression(read.callback) && usesOwnThisOrArguments(read.callback) ? 'function' : 'arrow';
    onFailure = { kind: 'branch', param: param?.text, lines: movedBranch(ctx, path.statements, layout.inner), fnKind };
  } else {
    onFailure = { kind: 'rethrow' };
  }
  const touched = responseLike ? `${t}.headersSent` : `${t}.destroyed`;
  const handler = failureHandler(ctx, layout, { touched, undo, onFailure });

  const imports = ctx.imports();
  const sendFile = imports.named('zerocopy', 'sendFile');
  const s = semi(ctx.style);
  const call = `${sendFile}(${t}, ${read.path.getText(ctx.sf)})`;
  const out: string[] = [...head.lines];
  if (awaited) {
    out.push(`await ${call}.catch(${handler})${s}`);
    if (ends) out.push(`${t}.end()${s}`);
    if (ts.isReturnStatement(read.sendStatement) && read.sendStatement.expression && !(fn && isRequestHandlerFunction(ctx, fn))) out.push(`return ${t}${s}`);
  } else {
    out.push(ends ? `${call}.then(() => ${t}.end(), ${handler})${s}` : `${call}.catch(${handler})${s}`);
    if (read.returned) out.push(`return${s}`);
  }
  let text = out.map((l, i) => (i === 0 ? l : layout.indent + l)).join(layout.nl);
  let start = replaceFrom.getStart(ctx.sf);
  if (read.arrowBody) {
    // The arrow's expression body becomes a block; its value was the promise, which a request handler's caller ignores.
    if (!isRequestHandlerFunction(ctx, read.arrowBody)) refuse('the promise the arrow function returns would change, and its caller may use it');
    start = read.arrowBody.equalsGreaterThanToken.getEnd();
    text = ` {${layout.nl}${layout.indent}${text}${layout.nl}${layout.indent.slice(ctx.style.indent.length)}}`;
  }
  const title = kind === 'sendfile' ? SENDFILE_TITLE : RESPOND_WITH_FD_TITLE;
  const edits: OffsetEdit[] = [{ start, end: replaceTo.getEnd(), newText: text }];
  if (read.assigned) edits.unshift(deleteStatement(ctx, read.assigned.declaration));
  return { kind, title, edits, imports };
}

export const RESPOND_WITH_FD_TITLE = "Answer from the file descriptor with zerocopy's sendFile() (respondWithFD: no copy through JavaScript)";

/** The statements from `first` to `last` of one list (the statements a rewrite replaces). */
export function spanOf(first: ts.Statement, last: ts.Statement): ts.Statement[] {
  const list = siblingsOf(first);
  if (!list || first === last || !list.includes(last)) return [first];
  return list.slice(list.indexOf(first), list.indexOf(last) + 1);
}

/** The last statement a rewrite of `read` replaces: the send, or the `end()` after a `write`. */
function lastOf(read: WholeRead, taken: number): ts.Statement {
  return taken > 0 ? read.tail[taken - 1]! : read.sendStatement;
}

/**
 * The statements that take the success path's head off the response again when sendFile fails
 * before sending anything, so that the error branch answers as it did. Empty when the branch does
 * not answer from the response's state, or sets that state itself. No fix when it would be needed
 * and the response's state before the read cannot be proven.
 */
export function undoFor(ctx: FixContext, span: readonly ts.Statement[], target: Target, head: Head, path: ErrorPath): string[] {
  let answers: boolean;
  let setsStatus = false;
  let setsHeaders = new Set<string>();
  if (path.to === 'nowhere') answers = false;
  else if (path.to === 'caller') {
    // Out of a plain http handler a rejection reaches no one (the process reports it); anywhere
    // else the caller (a framework's error handler) answers from the response's state.
    answers = !(path.fn && isRequestHandlerFunction(ctx, path.fn));
  } else {
    const fx = errorEffects(ctx, target, path.statements);
    answers = fx.answers;
    setsStatus = fx.setsStatus;
    setsHeaders = fx.setsHeaders;
  }
  if (!answers) return [];
  if (head.unknownNames) refuse(`the success path sets headers (${head.unknownNames}) that the error response would also carry`);
  if (head.statusMessage && !setsStatus) refuse('the success path sets a status message that the error response would also carry');
  const names = new Set([...head.names].filter((n) => !setsHeaders.has(n)));
  const status = head.status !== undefined && !setsStatus;
  if (names.size === 0 && !status) return [];
  proveFreshResponse(ctx, target.expr, span, names, status, path.to === 'catch' ? [path.tryStatement.catchClause!] : []);
  const t = target.expr.getText(ctx.sf);
  const s = semi(ctx.style);
  const lines = [...names].map((n) => `${t}.removeHeader(${ctx.style.quote}${displayName(head, n)}${ctx.style.quote})${s}`);
  if (status && !head.status!.is200) lines.push(`${t}.statusCode = 200${s}`);
  return lines;
}

/** The header's name as the code wrote it (`Content-Type`), from its lower-case key. */
function displayName(head: Head, lower: string): string {
  for (const line of head.lines) {
    const m = new RegExp(`['"\`](${lower.replace(/[-]/g, '\\-')})['"\`]`, 'i').exec(line);
    if (m) return m[1]!;
  }
  return lower;
}
