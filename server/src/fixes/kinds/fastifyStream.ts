/**
 * fastify: a whole read with a callback whose bytes go out with `reply.send(data)` becomes a read
 * stream fastify sends itself (`reply.send(stream)`), with what fastify did for the Buffer (read in
 * fastify 5's reply.js and proven by the behaviour test):
 * - the stream is opened and its first chunk read (`'readable'`) before anything of the success
 *   path runs, so a missing file, a directory or an unreadable one reaches the original error
 *   branch with the read's own error code and the reply untouched;
 * - a Buffer got `Content-Type: application/octet-stream` unless one was set and a
 *   Content-Length; a stream gets neither from fastify, so the fix sets both (the length from the
 *   descriptor the stream opened, which is what it reads);
 * - once handed to fastify, a failure is fastify's: it cuts a response whose head went out (the
 *   original had the whole file first and never failed there), and the error listener the fix
 *   added does nothing more.
 * HEAD is fastify's own route for both: it answers with the head and drains the stream.
 */
import ts from 'typescript';
import type { FixContext } from '../context';
import type { Rewrite } from '../rewrite';
import type { Send } from './sendfile';
import type { WholeRead } from '../wholeRead';
import { skipOuter } from '../../engine/scope';
import { nodesAt } from '../locate';
import { targetOf } from '../target';
import { checkTail, wholeRead } from '../wholeRead';
import { checkOtherUses, checkPayload } from '../payload';
import { errorPathOf } from '../errorPath';
import { checkErrorUse } from '../checks';
import { enclosingFunction, usesOwnThisOrArguments } from '../ast';
import { layoutAt, movedBranch } from '../emit';
import { leadingCommentStart, indentAt } from '../text';
import { refuse } from '../refuse';
import { semi } from '../style';
import { fsRef } from './stream';

function textReason(): string {
  return 'fastify sends text as `text/plain; charset=utf-8`, and a stream as the bytes it reads: the answer would change';
}

export const FASTIFY_STREAM_TITLE = 'Let fastify stream the file (reply.send(createReadStream(…)): one chunk in memory at a time)';

export function fastifyStream(ctx: FixContext, send: Send): Rewrite {
  const read = wholeRead(ctx);
  if (read.form === 'await') return awaitedStream(ctx, read, send.target.expr.getText(ctx.sf), send.call.arguments[0], send.call.arguments[1]);
  const path = errorPathOf(ctx, read);
  if (read.form !== 'callback' || path.to !== 'branch' || read.returned) refuse("fastify's stream reply is offered for a read with a callback whose error branch answers itself, or an awaited read");
  checkTail(ctx, read.tail);
  const payload = send.call.arguments[0]!;
  if (checkPayload(ctx, read, payload, send.call.arguments[1]) !== 'exact' || read.encoding !== undefined) refuse(textReason());
  checkOtherUses(ctx, read, payload, []);
  checkErrorUse(ctx, read.errParam ? ctx.ev.scopes.declaredBy(read.errParam) : undefined, path.statements);

  const imports = ctx.imports();
  const s = semi(ctx.style);
  const q = ctx.style.quote;
  const r = send.target.expr.getText(ctx.sf);
  const create = fsRef(ctx, imports, read.call.expression, 'createReadStream');
  const fstat = fsRef(ctx, imports, read.call.expression, 'fstatSync');
  const name = imports.freshName(read.data ? `${read.data.text}Stream` : 'fileStream');
  const handed = imports.freshName(`${name}Sent`);
  const layout = layoutAt(ctx, read.statement);
  const { indent, nl } = layout;
  const step = ctx.style.indent;
  const fd = ctx.style.typescript ? `(${name} as unknown as { fd: number }).fd` : `${name}.fd`;

  // The success path as written, the bytes replaced by the stream, one level inside the listener.
  const first = read.region[0]!;
  const from = leadingCommentStart(ctx.sf, first);
  const to = read.sendStatement.getEnd();
  const raw = ctx.sf.text.slice(from, payload.getStart(ctx.sf)) + name + ctx.sf.text.slice(payload.getEnd(), to);
  const oldIndent = indentAt(ctx.sf.text, first.getStart(ctx.sf));
  const success = raw.split(/\r?\n/).map((l, i) => (i === 0 ? l : l.startsWith(oldIndent) ? l.slice(oldIndent.length) : l.trimStart()));

  const fnKind = read.callback && ts.isFunctionExpression(read.callback) && usesOwnThisOrArguments(read.callback) ? 'function' : 'arrow';
  const branch = movedBranch(ctx, path.statements, indent + step).map((l) => l.slice(indent.length));
  const param = read.errParam?.text;
  const usesParam = param !== undefined && branch.some((l) => new RegExp(`\\b${param}\\b`).test(l));
  // The read's error was typed NodeJS.ErrnoException; a stream's 'error' listener gets an Error.
  const errParam = usesParam ? (ctx.style.typescript ? `${param}: NodeJS.ErrnoException` : param) : '';
  const errHead = fnKind === 'arrow' ? `(${errParam}) => {` : `function (${errParam}) {`;
  const out = [
    `const ${name} = ${create}(${read.path.getText(ctx.sf)})${s}`,
    `let ${handed} = false${s}`,
    `${name}.on(${q}error${q}, ${errHead}`,
    `${step}if (${handed}) return${s}`,
    ...branch,
    `})${s}`,
    `${name}.once(${q}readable${q}, ${fnKind === 'arrow' ? '() => {' : 'function () {'}`,
    `${step}${handed} = true${s}`,
    `${step}if (!${r}.hasHeader(${q}content-type${q})) ${r}.type(${q}application/octet-stream${q})${s}`,
    `${step}${r}.header(${q}content-length${q}, ${fstat}(${fd}).size)${s}`,
    ...success.map((l) => step + l),
    `})${s}`,
  ];
  const text = out.map((l, i) => (i === 0 || l.trim() === '' ? l.trimEnd() : indent + l)).join(nl);
  return { kind: 'framework', title: FASTIFY_STREAM_TITLE, edits: [{ start: read.statement.getStart(ctx.sf), end: read.statement.getEnd(), newText: text }], imports };
}

/**
 * An async handler's awaited read (`const data = await readFile(p)` or `send(await readFile(p))`)
 * whose bytes go out with `reply.send(data)` or are returned to fastify (`return data`): the
 * stream is opened and its first chunk awaited where the read was awaited, so a missing file or a
 * directory throws the same error at the same point (to the handler's `catch`, or to fastify's
 * error handler); the stream takes the bytes' place in the send or the return. Its 'error'
 * listener stays: after the first chunk a failure is fastify's (a settled promise ignores it).
 */
export function awaitedStream(ctx: FixContext, read: WholeRead, reply: string, payload: ts.Expression | undefined, writeEncoding: ts.Expression | undefined): Rewrite {
  if (read.assigned) refuse("fastify's stream reply is offered for a read awaited into a name declared by it, or written straight into the send");
  const path = errorPathOf(ctx, read);
  if (path.to === 'catch') checkErrorUse(ctx, path.param ? ctx.ev.scopes.declaredBy(path.param) : undefined, path.statements);
  // `reply.send(data); return reply` is how an async handler says it sent: it stays.
  const returnsReply = (st: ts.Statement) => ts.isReturnStatement(st) && !!st.expression && skipOuter(st.expression).getText(ctx.sf) === reply;
  checkTail(ctx, read.tail.length === 1 && returnsReply(read.tail[0]!) ? [] : read.tail);
  if (checkPayload(ctx, read, payload, writeEncoding) !== 'exact' || read.encoding !== undefined) refuse(textReason());
  checkOtherUses(ctx, read, payload!, []);

  const imports = ctx.imports();
  const s = semi(ctx.style);
  const q = ctx.style.quote;
  const create = fsRef(ctx, imports, read.call.expression, 'createReadStream');
  const fstat = fsRef(ctx, imports, read.call.expression, 'fstatSync');
  const name = imports.freshName(read.data ? `${read.data.text}Stream` : 'fileStream');
  const layout = layoutAt(ctx, read.statement);
  const { indent, nl } = layout;
  const step = ctx.style.indent;
  const fd = ctx.style.typescript ? `(${name} as unknown as { fd: number }).fd` : `${name}.fd`;
  const promise = ctx.style.typescript ? 'new Promise<void>' : 'new Promise';
  const lines = [
    `const ${name} = ${create}(${read.path.getText(ctx.sf)})${s}`,
    `await ${promise}((resolve, reject) => {`,
    `${step}${name}.on(${q}error${q}, reject)${s}`,
    `${step}${name}.once(${q}readable${q}, () => resolve())${s}`,
    `})${s}`,
    `if (!${reply}.hasHeader(${q}content-type${q})) ${reply}.type(${q}application/octet-stream${q})${s}`,
    `${reply}.header(${q}content-length${q}, ${fstat}(${fd}).size)${s}`,
  ];
  const text = lines.map((l, i) => (i === 0 ? l : indent + l)).join(nl);
  const bytes = skipOuter(payload!);
  const edits = read.data
    ? [
        { start: read.statement.getStart(ctx.sf), end: read.statement.getEnd(), newText: text },
        { start: bytes.getStart(ctx.sf), end: bytes.getEnd(), newText: name },
      ]
    : [
        { start: read.statement.getStart(ctx.sf), end: read.statement.getStart(ctx.sf), newText: text + nl + indent },
        { start: bytes.getStart(ctx.sf), end: bytes.getEnd(), newText: name },
      ];
  return { kind: 'framework', title: FASTIFY_STREAM_TITLE, edits, imports };
}

/**
 * A fastify route handler returning the bytes it awaited (`return data`): the engine reports the
 * returned value; the reply is the handler's second parameter.
 */
export function fastifyReturnedStream(ctx: FixContext): Rewrite {
  const range = ctx.finding.sink.location.range;
  const value = nodesAt(ctx.sf, range).find((n): n is ts.Expression => ts.isExpression(n) && !!n.parent && ts.isReturnStatement(n.parent) && n.parent.expression === n);
  const fn = value && enclosingFunction(value);
  const replyParam = fn?.parameters[1]?.name;
  if (!value || !fn || !replyParam || !ts.isIdentifier(replyParam)) return refuse(ctx.noSink());
  const returnStatement = value.parent as ts.ReturnStatement;
  const sinkCtx: FixContext = { ...ctx, sink: returnStatement };
  const target = targetOf(sinkCtx, replyParam);
  if (target.kind !== 'fastify') refuse(ctx.noSink());
  const read = wholeRead(sinkCtx);
  if (read.form !== 'await') refuse("fastify's stream reply is offered for a returned read that is awaited");
  return awaitedStream(sinkCtx, read, replyParam.text, value, undefined);
}
