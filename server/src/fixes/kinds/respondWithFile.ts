/**
 * respondWithFile (HTTP/2): HTTP/2 frames the body in user space, so there is no sendfile; but Node
 * can answer a stream from the file itself (`respondWithFile`), with no Buffer and no JavaScript per
 * chunk.
 *
 * - An HTTP/2 stream (`server.on('stream')`): `stream.respond(headers); stream.end(data)` becomes
 *   `stream.respondWithFile(path, headers, { onError })`. respondWithFile opens and checks the file
 *   before it sends the headers, and calls `onError` (the original error branch) if it cannot: the
 *   headers stay success-only. It adds content-length. A directory is reported as
 *   ERR_HTTP2_SEND_FILE rather than EISDIR, so an error branch that tells codes apart gets no fix.
 *   In async code the call is wrapped in a promise that settles once the file is open and checked
 *   (`statCheck`) or failed (`onError`), so the `catch` around it still sees the error.
 * - An HTTP/2 compatibility response (`http2.createServer((req, res) => …)`): zerocopy's
 *   `sendFile(res, path)`, which answers with respondWithFD from the response's status and headers
 *   (kinds/sendfile.ts).
 */
import ts from 'typescript';
import { readLoopToSendFile } from './readLoop';
import { skipOuter } from '../../engine/scope';
import type { FixContext } from '../context';
import type { OffsetEdit, Rewrite } from '../rewrite';
import { deleteStatement } from '../delete';
import { checkTail, wholeRead } from '../wholeRead';
import { checkOtherUses, checkPayload } from '../payload';
import { errorPathOf, isAsync } from '../errorPath';
import { checkErrorUse, checkMovable } from '../checks';
import { callChain, enclosingFunction, isFunctionNode, lineOf, literalText, methodName, usesOwnThisOrArguments } from '../ast';
import { isTarget } from '../responseHead';
import { layoutAt, movedBranch } from '../emit';
import { streamSite } from '../streamSite';
import { refuse } from '../refuse';
import { semi } from '../style';
import { describeTarget, sendOf, wholeToSendFile } from './sendfile';

export const RESPOND_WITH_FILE_TITLE = 'Answer with stream.respondWithFile() (Node reads the file for the stream: no Buffer, no copy through JavaScript)';

/** Statuses whose responses have no body: respondWithFile throws for them. */
const NO_BODY = new Set(['204', '205', '304']);

function checkStatus(headers: ts.Expression | undefined): void {
  const h = headers && skipOuter(headers);
  if (!h || !ts.isObjectLiteralExpression(h)) return;
  for (const p of h.properties) {
    if (ts.isPropertyAssignment(p) && literalText(ts.isStringLiteral(p.name) ? p.name : undefined) === ':status') {
      const v = skipOuter(p.initializer);
      if (ts.isNumericLiteral(v) && NO_BODY.has(v.text)) refuse(`a ${v.text} response has no body; respondWithFile refuses it`);
    }
  }
}

/** An error branch that tells error codes apart would see ERR_HTTP2_SEND_FILE for a directory, not EISDIR. */
function checkNoCodes(ctx: FixContext, err: ts.Identifier | undefined, statements: readonly ts.Statement[]): void {
  if (!err) return;
  const b = ctx.ev.scopes.declaredBy(err) ?? ctx.ev.scopes.resolve(err);
  const COMPARISONS = [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken];
  /** `err.code === 'ENOENT'`: a directory's code is neither one, before or after. */
  const comparedToAnother = (n: ts.Node): boolean => {
    const p = n.parent;
    if (!p || !ts.isBinaryExpression(p) || !COMPARISONS.includes(p.operatorToken.kind)) return false;
    const other = literalText(p.left === n ? p.right : p.left);
    return other !== undefined && other !== 'EISDIR' && other !== 'ERR_HTTP2_SEND_FILE';
  };
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && ctx.ev.scopes.resolve(n.expression) === b && (n.name.text === 'code' || n.name.text === 'errno') && !(n.name.text === 'code' && comparedToAnother(n))) {
      refuse(`the error branch reads \`${n.getText(ctx.sf)}\` (line ${lineOf(ctx.sf, n)}); respondWithFile reports a directory as ERR_HTTP2_SEND_FILE, where the read said EISDIR`);
    }
    ts.forEachChild(n, visit);
  };
  for (const st of statements) visit(st);
}

export function respondWithFileRewrite(ctx: FixContext): Rewrite {
  if (ctx.finding.rule === 'read-loop-to-socket') return readLoopToSendFile(ctx, 'respondWithFile');
  if (ctx.finding.holds !== 'whole-file') return streamRespondWithFile(ctx);
  const send = sendOf(ctx);
  if (send.target.kind === 'http2-compat') return wholeToSendFile(ctx, 'respondWithFile');
  if (send.target.kind !== 'http2-stream') refuse(`the bytes go to ${describeTarget(send.target)}, not an HTTP/2 stream`);
  const read = wholeRead(ctx);
  const { target, method } = send;
  const t = target.expr.getText(ctx.sf);
  const s = semi(ctx.style);
  const ends = (st: ts.Statement) => ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) && methodName(st.expression) === 'end' && st.expression.arguments.length === 0 && ts.isPropertyAccessExpression(st.expression.expression) && isTarget(ctx, target, st.expression.expression.expression);
  const taken = method === 'write' ? checkTail(ctx, read.tail, ends) : checkTail(ctx, read.tail);
  if (method !== 'end' && taken === 0) refuse(`the bytes are written with \`${method}\``);
  // The head: one `stream.respond(headers)` before the send, or none (then :status 200).
  const before = read.region.slice(0, -1);
  let headers: ts.Expression | undefined;
  for (const st of before) {
    const e = ts.isExpressionStatement(st) ? skipOuter(st.expression) : undefined;
    const call = e && ts.isCallExpression(e) ? e : undefined;
    const chain = call ? callChain(call) : undefined;
    if (!call || !chain || chain.calls.length !== 1 || methodName(call) !== 'respond' || !isTarget(ctx, target, chain.root) || headers) {
      refuse(`${st.getText(ctx.sf).split('\n')[0]} runs only when the read succeeds, and respondWithFile cannot run it there`);
    }
    if (call.arguments.length > 1) refuse('`respond` is given options');
    headers = call.arguments[0];
  }
  if (send.chain.length) refuse('the send is chained on another call');
  checkStatus(headers);
  const payload = send.call.arguments[0];
  checkPayload(ctx, read, payload, send.call.arguments[1]);
  checkOtherUses(ctx, read, payload!, []);
  checkMovable(ctx, before, read.statement.getStart(ctx.sf), read.callback);
  const headersText = headers ? headers.getText(ctx.sf) : `{ ':status': 200 }`;
  const fn = enclosingFunction(read.statement);
  const awaited = read.form === 'await' || (read.form === 'sync' && isAsync(fn));
  const path = errorPathOf(ctx, read);
  const layout = layoutAt(ctx, read.statement);
  const { indent, inner, nl } = layout;
  const call = (options: string) => `${t}.respondWithFile(${read.path.getText(ctx.sf)}, ${headersText}, ${options})`;
  let text: string;
  if (awaited && !read.assigned) {
    if (path.to === 'catch') {
      checkErrorUse(ctx, path.param ? ctx.ev.scopes.declaredBy(path.param) : undefined, path.statements);
      checkNoCodes(ctx, path.param, path.statements);
    }
    const promise = ctx.style.typescript ? 'new Promise<void>' : 'new Promise';
    text = `await ${promise}((resolve, reject) => ${call('{ onError: reject, statCheck: () => resolve() }')})${s}`;
  } else if (read.form === 'sync' && !read.assigned) {
    return refuse('a synchronous read in a synchronous function throws where respondWithFile reports later');
  } else if (path.to === 'branch') {
    const err = read.errParam;
    checkErrorUse(ctx, err ? ctx.ev.scopes.declaredBy(err) : undefined, path.statements);
    checkNoCodes(ctx, err, path.statements);
    const lines = movedBranch(ctx, path.statements, inner + ctx.style.indent);
    const usesErr = err !== undefined && lines.some((l) => new RegExp(`\\b${err.text}\\b`).test(l));
    const fnKind = read.callback && ts.isFunctionExpression(read.callback) && usesOwnThisOrArguments(read.callback) ? 'function' : 'arrow';
    const head = fnKind === 'arrow' ? `(${usesErr ? err!.text : ''}) => {` : `function (${usesErr ? err!.text : ''}) {`;
    const onError = lines.length ? `{${nl}${inner}onError: ${head}${nl}${lines.join(nl)}${nl}${inner}},${nl}${indent}}` : `{ onError: ${head}} }`;
    text = `${call(onError)}${s}`;
  } else {
    // Nothing handled the read's error: an uncaught exception, as the rejection was.
    text = `${call(`{${nl}${inner}onError: (err) => {${nl}${inner}${ctx.style.indent}throw err${s}${nl}${inner}},${nl}${indent}}`)}${s}`;
  }
  if (read.returned) text += `${nl}${indent}return${s}`;
  const end = read.form === 'callback' ? read.statement.getEnd() : (taken ? read.tail[taken - 1]! : read.sendStatement).getEnd();
  const edits: OffsetEdit[] = [{ start: read.statement.getStart(ctx.sf), end, newText: text }];
  if (read.assigned) edits.unshift(deleteStatement(ctx, read.assigned.declaration));
  return { kind: 'respondWithFile', title: RESPOND_WITH_FILE_TITLE, edits, imports: ctx.imports() };
}

/** `stream.respond(h); fs.createReadStream(p).pipe(stream)`: the respond and the pipe become one respondWithFile. */
function streamRespondWithFile(ctx: FixContext): Rewrite {
  const site = streamSite(ctx);
  if (site.target.kind === 'http2-compat') refuse('an HTTP/2 compatibility response fed by a stream: see the sendfile fix');
  if (site.target.kind !== 'http2-stream') refuse(`the stream goes to ${describeTarget(site.target)}, not an HTTP/2 stream`);
  if (site.form !== 'pipe') refuse('the stream is sent with pipeline, whose callback respondWithFile has no counterpart for');
  if (site.start || site.end) refuse('a range of the file: respondWithFile takes an offset and length, and answers differently past the end');
  if (site.encoding) refuse(`the stream decodes the file as ${site.encoding}`);
  if (site.deleted.length) refuse('the stream is opened into a name and used apart from the pipe');
  const t = site.target.expr.getText(ctx.sf);
  const s = semi(ctx.style);
  // The respond right before the pipe, in the same list.
  const list = site.sendStatement.parent && (ts.isBlock(site.sendStatement.parent) || ts.isSourceFile(site.sendStatement.parent)) ? site.sendStatement.parent.statements : undefined;
  const prev = list ? list[list.indexOf(site.sendStatement) - 1] : undefined;
  const prevCall = prev && ts.isExpressionStatement(prev) && ts.isCallExpression(skipOuter(prev.expression)) ? (skipOuter(prev.expression) as ts.CallExpression) : undefined;
  const responds = prevCall && methodName(prevCall) === 'respond' && callChain(prevCall).calls.length === 1 && isTarget(ctx, site.target, callChain(prevCall).root) && prevCall.arguments.length <= 1;
  if (!responds) refuse(`the stream's headers are not sent right before the pipe (\`${t}.respond(…)\`), so respondWithFile cannot take them`);
  const headers = prevCall!.arguments[0];
  checkStatus(headers);
  const layout = layoutAt(ctx, prev!);
  const { indent, inner, nl } = layout;
  let onError: string;
  const listener = site.onError;
  if (!listener) {
    onError = `{${nl}${inner}onError: (err) => {${nl}${inner}${ctx.style.indent}throw err${s}${nl}${inner}},${nl}${indent}}`;
  } else {
    // The original sent the headers before opening the file, so its error branch ran after them.
    refuse('the stream has an error handler that ran after the headers were sent; respondWithFile sends none before the file is open');
  }
  // respondWithFile refuses a HEAD request (it would send a body); the original answered one with
  // the headers alone (respond ends a HEAD stream, and what the pipe wrote after went nowhere).
  const head = requestHeaders(ctx, site.target.expr);
  const headersText = headers ? headers.getText(ctx.sf) : `{ ':status': 200 }`;
  const edits: OffsetEdit[] = [];
  if (head.insert) edits.push(head.insert);
  const u = ctx.style.indent;
  const respond = `${t}.respondWithFile(${site.path.getText(ctx.sf)}, ${headersText}, ${onError.split(nl).join(nl + u)})${s}`;
  const text = [`if (${head.name}[':method'] === 'HEAD') {`, `${indent}${u}${t}.respond(${headersText})${s}`, `${indent}} else {`, `${indent}${u}${respond}`, `${indent}}`].join(nl);
  edits.push({ start: prev!.getStart(ctx.sf), end: site.sendStatement.getEnd(), newText: text });
  return { kind: 'respondWithFile', title: RESPOND_WITH_FILE_TITLE, edits, imports: ctx.imports() };
}

/**
 * The request's headers in a `server.on('stream', (stream, headers) => …)` listener: its second
 * parameter, added when the listener does not name it.
 */
function requestHeaders(ctx: FixContext, streamExpr: ts.Expression): { name: string; insert?: OffsetEdit } {
  const id = skipOuter(streamExpr);
  const b = ts.isIdentifier(id) ? ctx.ev.scopes.resolve(id) : undefined;
  const param = b && b.kind === 'param' && ts.isParameter(b.decl) ? b.decl : undefined;
  const fn = param?.parent;
  if (!param || !fn || !isFunctionNode(fn) || fn.parameters[0] !== param || !isStreamListener(ctx, fn)) {
    refuse('whether the request is a HEAD cannot be seen here (the stream is not the parameter of a `stream` listener), and respondWithFile refuses HEAD requests');
  }
  const second = fn.parameters[1];
  if (second) {
    if (!ts.isIdentifier(second.name)) refuse("the stream listener's headers are destructured");
    return { name: second.name.text };
  }
  const name = ctx.imports().freshName('headers');
  if (ts.isArrowFunction(fn) && !fn.getChildren(ctx.sf).some((c) => c.kind === ts.SyntaxKind.OpenParenToken)) {
    return { name, insert: { start: param.getStart(ctx.sf), end: param.getEnd(), newText: `(${param.getText(ctx.sf)}, ${name})` } };
  }
  return { name, insert: { start: param.getEnd(), end: param.getEnd(), newText: `, ${name}` } };
}

function isStreamListener(ctx: FixContext, fn: ts.Node): boolean {
  let e: ts.Node = fn;
  while (e.parent && ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const call = e.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[1] !== e) return false;
  const callee = skipOuter(call.expression);
  return ts.isPropertyAccessExpression(callee) && ['on', 'once', 'addListener'].includes(callee.name.text) && literalText(call.arguments[0]) === 'stream' && ctx.ev.eval(callee.expression).some((v) => v.t === 'server');
}
