/**
 * koa: `ctx.body = createReadStream(p)` and `ctx.body = await readFile(p)` (the middleware of a koa
 * app in view, see koaApp.ts).
 *
 * sendfile: koa is told to leave the response alone (`ctx.respond = false`) and zerocopy's
 * sendFile answers on `ctx.res`, with what koa's body setter would have set: the status 200 unless
 * the code set one, Content-Type `application/octet-stream` unless the code set one. A failure
 * before anything was sent goes where it went: to koa's error handler (`ctx.onerror`, which a
 * failed body stream reached too, and which a read's rejection reached through koa), or to the
 * middleware's own `catch`, with koa answering again and the success path's head taken off.
 *
 * framework: the read becomes the stream koa pipes itself (`ctx.body = createReadStream(p)`),
 * where both failures reach koa's error handler (no `try` in the middleware).
 */
import ts from 'typescript';
import { skipOuter } from '../../engine/scope';
import type { FixContext } from '../context';
import type { Rewrite, OffsetEdit } from '../rewrite';
import { wholeRead, type WholeRead } from '../wholeRead';
import { checkOtherUses, checkPayload, isTheBytes } from '../payload';
import { enclosingTry } from '../errorPath';
import { checkErrorUse } from '../checks';
import { enclosingFunction, isFunctionNode, literalText, quote, siblingsOf } from '../ast';
import { koaMiddleware, type KoaMiddleware } from '../koaApp';
import { streamSiteOptions } from '../streamSite';
import { hasRange, rangeText } from './sendfileStream';
import { layoutAt } from '../emit';
import { refuse } from '../refuse';
import { nodeModule, semi } from '../style';
import { statementsText } from '../text';
import { SENDFILE_TITLE } from './sendfile';

export const KOA_STREAM_TITLE = 'Let koa stream the file (ctx.body = createReadStream(…): one chunk in memory at a time)';

/** A koa head statement: `ctx.type = …`, `ctx.status = …`, `ctx.set(…)`, `ctx.length = …` (and on `ctx.response`). */
interface KoaHead {
  statement: ts.Statement;
  sets: 'status' | string | 'unknown';
}

const ASSIGNED_HEADERS: Record<string, string> = { type: 'content-type', length: 'content-length', lastModified: 'last-modified', etag: 'etag' };

function koaHead(ctx: FixContext, mw: KoaMiddleware, st: ts.Statement): KoaHead[] | undefined {
  if (!ts.isExpressionStatement(st)) return undefined;
  const e = skipOuter(st.expression);
  const onCtx = (x: ts.Expression) => {
    const y = skipOuter(x);
    if (ts.isIdentifier(y)) return ctx.ev.scopes.resolve(y) === ctx.ev.scopes.resolve(mw.ctx);
    return ts.isPropertyAccessExpression(y) && y.name.text === 'response' && ts.isIdentifier(y.expression) && ctx.ev.scopes.resolve(y.expression) === ctx.ev.scopes.resolve(mw.ctx);
  };
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(e.left) && onCtx(e.left.expression)) {
    const name = e.left.name.text;
    if (name === 'status') return [{ statement: st, sets: 'status' }];
    if (name in ASSIGNED_HEADERS) return [{ statement: st, sets: ASSIGNED_HEADERS[name]! }];
    return undefined;
  }
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && onCtx(e.expression.expression)) {
    const name = e.expression.name.text;
    if (name === 'set' || name === 'append') {
      const h = literalText(e.arguments[0]);
      if (h !== undefined) return [{ statement: st, sets: h.toLowerCase() }];
      const o = e.arguments[0] && skipOuter(e.arguments[0]);
      if (o && ts.isObjectLiteralExpression(o)) {
        return o.properties.map((p) => ({ statement: st, sets: p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text.toLowerCase() : 'unknown' }));
      }
      return [{ statement: st, sets: 'unknown' }];
    }
    if (name === 'vary') return [{ statement: st, sets: 'vary' }];
    if (name === 'attachment') return [{ statement: st, sets: 'content-disposition' }, { statement: st, sets: 'unknown' }];
  }
  return undefined;
}

interface KoaSend {
  mw: KoaMiddleware;
  /** The `ctx.body = …` statement. */
  statement: ts.ExpressionStatement;
  value: ts.Expression;
  /** koa head statements after it (they run before koa responds, so before sendFile must start). */
  trailing: KoaHead[];
}

function koaSend(ctx: FixContext): KoaSend {
  const sink = ctx.sink;
  if (!sink || !ts.isBinaryExpression(sink) || !ts.isPropertyAccessExpression(sink.left) || sink.left.name.text !== 'body') refuse('the bytes are not assigned to `ctx.body`');
  const statement = sink.parent;
  if (!ts.isExpressionStatement(statement)) refuse('the body is assigned inside a larger expression');
  const fn = enclosingFunction(statement);
  const mw = koaMiddleware(ctx, fn, sink.left.expression);
  // After it: koa head statements, then nothing (on every level up to the middleware's body).
  const trailing: KoaHead[] = [];
  let s: ts.Statement = statement;
  for (;;) {
    const list = siblingsOf(s);
    if (!list) refuse('the body is assigned where the code after it cannot be followed');
    for (const after of list.slice(list.indexOf(s) + 1)) {
      if (ts.isReturnStatement(after) && !after.expression) break;
      const head = s === statement ? koaHead(ctx, mw, after) : undefined;
      if (!head) refuse(`${quote(ctx.sf, after)} runs after the body is set, before koa answers; sendFile would have started by then`);
      trailing.push(...head);
    }
    const parent = s.parent;
    if (parent === mw.fn.body) break;
    const up = ts.isBlock(parent) ? parent.parent : parent;
    if (!up || isFunctionNode(up)) break;
    if (ts.isTryStatement(up) || ts.isIfStatement(up) || ts.isBlock(up)) {
      s = up as ts.Statement;
      continue;
    }
    if (ts.isCatchClause(up)) refuse('the body is assigned in a `catch`');
    refuse(`the body is assigned inside ${quote(ctx.sf, up, 30)}`);
  }
  return { mw, statement, value: sink.right, trailing };
}

/** Whether the middleware sets the status / a header on every path before `at` (statements of the same lists). */
function setBefore(ctx: FixContext, send: KoaSend, at: ts.Statement, what: 'status' | string): 'always' | 'never' | 'maybe' {
  let found = 'never' as 'always' | 'never' | 'maybe';
  const unconditional = new Set<ts.Statement>();
  for (let s: ts.Node = at; s && s !== send.mw.fn; s = s.parent) {
    if (ts.isStatement(s)) {
      const list = siblingsOf(s);
      if (list) for (const x of list.slice(0, list.indexOf(s))) unconditional.add(x);
    }
  }
  const visit = (n: ts.Node): void => {
    if (ts.isStatement(n) && n.pos < at.pos) {
      const heads = koaHead(ctx, send.mw, n);
      if (heads?.some((h) => h.sets === what || h.sets === 'unknown')) {
        const sure = unconditional.has(n) && heads.every((h) => h.sets !== 'unknown' || heads.some((x) => x.sets === what));
        if (sure) found = 'always';
        else if (found !== 'always') found = 'maybe';
      }
    }
    if (isFunctionNode(n) && n !== send.mw.fn) return;
    ts.forEachChild(n, visit);
  };
  if (send.mw.fn.body) visit(send.mw.fn.body);
  if (found !== 'always' && (what === 'status' ? send.mw.upstream.status : send.mw.upstream.names.has(what) || send.mw.upstream.unknown)) return 'maybe';
  return found;
}

export function koaSendFile(ctx: FixContext): Rewrite {
  const send = koaSend(ctx);
  const s = semi(ctx.style);
  const c = send.mw.ctx.text;
  const whole = ctx.finding.holds === 'whole-file';
  let read: WholeRead | undefined;
  let path: ts.Expression;
  let range = '';
  let rangePastEnd = false;
  let first: ts.Statement = send.statement;
  let successHeads: KoaHead[] = [...send.trailing];
  if (whole) {
    read = wholeRead(ctx);
    if (read.form !== 'await') refuse('only an awaited read assigned to `ctx.body` is rewritten for koa');
    checkPayload(ctx, read, send.value, undefined);
    checkOtherUses(ctx, read, send.value, []);
    path = read.path;
    first = read.statement;
    for (const st of read.region.slice(0, -1)) {
      const heads = koaHead(ctx, send.mw, st);
      if (!heads) refuse(`${quote(ctx.sf, st)} runs only when the read succeeds, and the rewrite cannot keep it there`);
      successHeads.push(...heads);
    }
  } else {
    if (skipOuter(send.value) !== ctx.source) refuse('the body is not the stream opened right there');
    const site = streamSiteOptions(ctx, ctx.source);
    if (site.encoding) refuse(`the stream decodes the file as ${site.encoding}`);
    path = site.path;
    range = rangeText(ctx, site);
    rangePastEnd = hasRange(site);
    successHeads = [];
  }
  const status = setBefore(ctx, send, first, 'status');
  const type = setBefore(ctx, send, first, 'content-type');
  const trailingSets = (what: string) => send.trailing.some((h) => h.sets === what);
  if (status === 'maybe' && !trailingSets('status')) refuse('the status is set on some paths only; koa would have made it 200 on the others');
  if (type === 'maybe' && !trailingSets('content-type')) refuse('the Content-Type is set on some paths only; koa would have made it application/octet-stream on the others');
  if (send.trailing.some((h) => h.sets === 'unknown') && !trailingSets('content-type') && type !== 'always') refuse('a header the code sets after the body may be the Content-Type; whether koa would have set one cannot be told');
  const lines: string[] = [`${c}.respond = false${s}`];
  const addsStatus = status === 'never' && !trailingSets('status');
  const addsType = type === 'never' && !trailingSets('content-type');
  if (addsStatus) lines.push(`${c}.res.statusCode = 200${s}`);
  if (addsType) lines.push(`${c}.type = 'bin'${s}`);
  // The head statements that follow the body (and, for a read, those between read and body).
  const layout = layoutAt(ctx, first);
  const moved = whole ? [...read!.region.slice(0, -1), ...send.trailing.map((h) => h.statement)] : send.trailing.map((h) => h.statement);
  const unique = [...new Set(moved)];
  for (const st of unique) lines.push(...statementsText(ctx.sf, [st], '', layout.nl).split(/\r?\n/));
  const imports = ctx.imports();
  const sendFile = imports.named('zerocopy', 'sendFile');
  const call = `${sendFile}(${c}.res, ${path.getText(ctx.sf)}${range})`;
  const { inner, indent, nl } = layout;
  const tryAround = whole ? enclosingTry(read!.statement) : undefined;
  if (!whole || !tryAround) {
    // The failure reached koa's error handler, which answers from scratch (it removes every header).
    const firstLine = rangePastEnd ? [`${inner}if (err.code === 'ERR_ZEROCOPY_RANGE_NOT_SATISFIABLE') return ${c}.res.end()${s}`] : [];
    const body = [...firstLine, `${inner}if (!${c}.headerSent) ${c}.onerror(err)${s}`];
    lines.push(`${call}.catch((err) => {`, ...body.map((l) => l.slice(indent.length)), `})${s}`);
  } else {
    const param = tryAround.catchClause!.variableDeclaration;
    checkErrorUse(ctx, param && ts.isIdentifier(param.name) ? ctx.ev.scopes.declaredBy(param.name) : undefined, tryAround.catchClause!.block.statements);
    // The catch answers again through koa: koa must respond, and the success path's head must go.
    const names = new Set(successHeads.filter((h) => h.sets !== 'status').map((h) => h.sets));
    if (names.has('unknown')) refuse('the success path sets headers that cannot be listed, and the `catch` would answer with them');
    for (const n of names) {
      if (setBefore(ctx, send, first, n) !== 'never') refuse(`the success path sets \`${n}\`, which may have been set before: taking it off for the \`catch\` would lose that`);
    }
    const catchSetsStatus = tryAround.catchClause!.block.statements.some((st) => koaHead(ctx, send.mw, st)?.some((h) => h.sets === 'status'));
    if (successHeads.some((h) => h.sets === 'status') && !catchSetsStatus) refuse('the success path sets the status, which koa would keep for the `catch`');
    const undo = [`${c}.respond = true${s}`, ...[...names].map((n) => `${c}.remove(${ctx.style.quote}${n}${ctx.style.quote})${s}`)];
    if (addsType) undo.push(`${c}.remove(${ctx.style.quote}content-type${ctx.style.quote})${s}`);
    if (addsStatus) undo.push(`${c}.res.statusCode = 404${s}`);
    lines.push(`await ${call}.catch((err) => {`, `${ctx.style.indent}if (${c}.headerSent) return${s}`, ...[...new Set(undo)].map((l) => ctx.style.indent + l), `${ctx.style.indent}throw err${s}`, `})${s}`);
  }
  void nl;
  const lastReplaced = send.trailing.length ? send.trailing[send.trailing.length - 1]!.statement : send.statement;
  const text = lines.map((l, i) => (i === 0 || l === '' ? l : indent + l)).join(layout.nl);
  const edits: OffsetEdit[] = [{ start: first.getStart(ctx.sf), end: lastReplaced.getEnd(), newText: text }];
  return { kind: 'sendfile', title: SENDFILE_TITLE, edits, imports };
}

/** framework: `ctx.body = await readFile(p)` -> `ctx.body = createReadStream(p)`. */
export function koaStream(ctx: FixContext): Rewrite {
  if (ctx.finding.holds !== 'whole-file') refuse('koa already streams this file');
  const send = koaSend(ctx);
  const read = wholeRead(ctx);
  if (read.form !== 'await') refuse('only an awaited read is rewritten for koa');
  if (enclosingTry(read.statement)) refuse('the read is inside a `try`: its error would no longer reach that `catch` (a stream reports to koa)');
  checkPayload(ctx, read, send.value, undefined);
  checkOtherUses(ctx, read, send.value, []);
  for (const st of read.region.slice(0, -1)) {
    if (!koaHead(ctx, send.mw, st)) refuse(`${quote(ctx.sf, st)} runs only when the read succeeds`);
  }
  const imports = ctx.imports();
  const create = imports.named(nodeModule(ctx.style, 'fs'), 'createReadStream');
  const stream = `${create}(${read.path.getText(ctx.sf)})`;
  const edits: OffsetEdit[] = [];
  const value = skipOuter(send.value);
  if (read.data) {
    // `const data = await read(p); …; ctx.body = data;`: the read goes, the body becomes the stream.
    const list = siblingsOf(read.statement)!;
    const next = list[list.indexOf(read.statement) + 1]!;
    edits.push({ start: read.statement.getStart(ctx.sf), end: next.getStart(ctx.sf), newText: '' });
    if (!isTheBytes(ctx, read, value)) refuse('the body is not the bytes as read');
    edits.push({ start: value.getStart(ctx.sf), end: value.getEnd(), newText: stream });
  } else {
    edits.push({ start: value.getStart(ctx.sf), end: value.getEnd(), newText: stream });
  }
  return { kind: 'framework', title: KOA_STREAM_TITLE, edits, imports };
}
