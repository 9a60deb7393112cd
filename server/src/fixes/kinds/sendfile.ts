/**
 * sendfile: the read-then-send (and, below, the stream) becomes `sendFile(target, file[, range])`
 * from zerocopy, in the file's style (`await` in async code, `.catch` in callback code).
 *
 * What sendFile does to an HTTP/1 response (native/README.md): opens and checks the file before it
 * touches the response (ENOENT, EISDIR and a range past the end reject with the response
 * untouched), sets Content-Length, writes head and body, ends the response; HEAD gets the head.
 * A failure in the middle destroys the response. So the rewrite:
 * - sets the success path's head first, without building it (writeHead becomes statusCode and
 *   setHeader), and takes it off again on an early failure when the error branch answers from it;
 * - runs the original error branch only for early failures (`if (res.headersSent) return`): a
 *   failure mid-body is what a broken connection did to `res.end(data)` too, which no code saw.
 */
import ts from 'typescript';
import type { FixContext } from '../context';
import type { Rewrite } from '../rewrite';
import { wholeRead, type WholeRead } from '../wholeRead';
import { targetOf, type Target } from '../target';
import { analyseHead, type Head } from '../responseHead';
import { checkOtherUses, checkPayload } from '../payload';
import { errorEffects } from '../errorBranch';
import { errorPathOf } from '../errorPath';
import { proveFreshResponse } from '../prestate';
import { checkErrorUse, checkMovable } from '../checks';
import { callChain, enclosingFunction, methodName, quote, usesOwnThisOrArguments } from '../ast';
import { layoutAt, movedBranch, callbackHead } from '../emit';
import { refuse } from '../refuse';
import { semi } from '../style';
import { isRequestHandlerFunction } from '../handlers';

export const SENDFILE_TITLE = "Send the file with zerocopy's sendFile() (sendfile(2), no copy through JavaScript)";

export function sendfileRewrite(ctx: FixContext): Rewrite {
  if (ctx.finding.holds === 'whole-file') return wholeReadToSendFile(ctx);
  return refuse('only whole-file reads are rewritten to sendFile so far');
}

/** The HTTP/1 response a whole read is sent to with `end`, and the parts of that send. */
function responseSend(ctx: FixContext): { call: ts.CallExpression; target: Target; chain: ts.CallExpression[] } {
  const sink = ctx.sink;
  if (!sink || !ts.isCallExpression(sink)) refuse('the bytes are not sent by a call in this file');
  const { root, calls } = callChain(sink);
  const method = methodName(sink);
  const target = targetOf(ctx, root);
  if (target.kind !== 'http-response') refuse(`the bytes go to ${describeTarget(target)}, not an HTTP/1 response`);
  if (method === 'send') {
    refuse("express's `res.send` also sends an ETag computed from the bytes and answers 304 to a matching If-None-Match; sendFile, which never reads the bytes, would drop both");
  }
  if (method !== 'end') refuse(`the bytes are written with \`${method}\`, and more may follow them`);
  return { call: sink, target, chain: calls.slice(0, -1) };
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

function wholeReadToSendFile(ctx: FixContext): Rewrite {
  const read = wholeRead(ctx);
  if (read.form === 'sync') refuse('a synchronous read is not rewritten yet: its error is thrown where sendFile would reject later');
  const { call, target, chain } = responseSend(ctx);
  const region = read.region;
  const head = analyseHead(ctx, read, target, region.slice(0, -1), chain);
  const payload = call.arguments[0];
  checkPayload(ctx, read, payload, call.arguments[1]);
  checkOtherUses(ctx, read, payload!, head.dropped);
  checkMovable(ctx, [...region.slice(0, -1), ...chain], read.statement.getStart(ctx.sf), read.callback, head.dropped);
  const errorPath = errorPathOf(ctx, read);
  const errBinding = read.errParam ? ctx.ev.scopes.declaredBy(read.errParam) : undefined;
  const undo = undoFor(ctx, read, target, head, errorPath);
  const imports = ctx.imports();
  const sendFile = imports.named('zerocopy', 'sendFile');
  const layout = layoutAt(ctx, read.statement);
  const t = target.expr.getText(ctx.sf);
  const s = semi(ctx.style);
  const call0 = `${sendFile}(${t}, ${read.path.getText(ctx.sf)})`;
  const out: string[] = head.lines.map((l) => layout.indent + l);
  const { indent, inner, nl } = layout;
  if (read.form === 'callback') {
    checkErrorUse(ctx, errBinding, errorPath.to === 'branch' ? errorPath.statements : [], read.dataBinding);
    const errName = read.errParam!.text;
    const errorLines = movedBranch(ctx, read.completion!.error, inner);
    const fnKind = ts.isArrowFunction(read.callback!) || !usesOwnThisOrArguments(read.callback!) ? 'arrow' : 'function';
    if (errorLines.length === 0 && undo.length === 0) {
      out.push(`${indent}${call0}.catch(${callbackHead(fnKind, undefined)}})${s}`);
    } else {
      const usesErr = errorLines.some((l) => new RegExp(`\\b${errName}\\b`).test(l));
      out.push(`${indent}${call0}.catch(${callbackHead(fnKind, usesErr ? errName : undefined)}`);
      out.push(`${inner}if (${t}.headersSent) return${s}`);
      out.push(...undo.map((l) => inner + l));
      out.push(...errorLines);
      out.push(`${indent}})${s}`);
    }
    if (read.returned) out.push(`${indent}return${s}`);
  } else {
    if (errorPath.to === 'catch') checkErrorUse(ctx, errorPath.param ? ctx.ev.scopes.declaredBy(errorPath.param) : undefined, errorPath.statements);
    if (undo.length === 0) {
      out.push(`${indent}await ${call0}.catch((err) => {`);
      out.push(`${inner}if (!${t}.headersSent) throw err${s}`);
    } else {
      out.push(`${indent}await ${call0}.catch((err) => {`);
      out.push(`${inner}if (${t}.headersSent) return${s}`);
      out.push(...undo.map((l) => inner + l));
      out.push(`${inner}throw err${s}`);
    }
    out.push(`${indent}})${s}`);
    const sendStatement = read.sendStatement;
    if (ts.isReturnStatement(sendStatement) && sendStatement.expression && !returnIgnored(ctx, sendStatement)) out.push(`${indent}return ${t}${s}`);
  }
  const start = read.statement.getStart(ctx.sf);
  const end = read.form === 'callback' ? read.statement.getEnd() : read.sendStatement.getEnd();
  return { kind: 'sendfile', title: SENDFILE_TITLE, edits: [{ start, end, newText: out.join(nl).slice(indent.length) }], imports };
}

/** `return res.end(x)` in a function whose result nobody uses (a request handler). */
function returnIgnored(ctx: FixContext, st: ts.ReturnStatement): boolean {
  const fn = enclosingFunction(st);
  return fn !== undefined && isRequestHandlerFunction(ctx, fn);
}

/**
 * The statements that take the success path's head off the response again when sendFile fails
 * before sending anything, so that the error branch answers as it did. Empty when the branch does
 * not answer from the response's state, or sets that state itself. No fix when it would be needed
 * and the response's state before the read cannot be proven.
 */
function undoFor(ctx: FixContext, read: WholeRead, target: Target, head: Head, path: ReturnType<typeof errorPathOf>): string[] {
  let answers: boolean;
  let setsStatus = false;
  let setsHeaders = new Set<string>();
  if (path.to === 'caller') {
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
  proveFreshResponse(ctx, target.expr, read.statement, names, status);
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

export { quote };
