/**
 * A file read stream and the code that sends it, in one of the shapes a rewrite can keep exact:
 *
 *   pipe       fs.createReadStream(path[, opts]).pipe(target)
 *              const s = fs.createReadStream(…); s.on('error', onError); s.pipe(target)
 *   pipeline   pipeline(fs.createReadStream(…), target, (err) => …)        (stream)
 *              await pipeline(fs.createReadStream(…), target)                (stream/promises)
 *
 * The stream must be used for nothing else (no other listeners, no reads of it).
 */
import ts from 'typescript';
import { skipOuter, type Binding } from '../engine/scope';
import type { FixContext } from './context';
import { inside, isFunctionNode, lineOf, literalText, methodName, quote, siblingsOf, statementOf, type FunctionNode } from './ast';
import { targetOf, type Target } from './target';
import { expressionStatementOf } from './completion';
import { refuse } from './refuse';

export interface StreamError {
  /** The listener or callback, when written here; a name when it is a function declared elsewhere. */
  fn: FunctionNode | ts.Identifier;
  param?: ts.Identifier;
  statements: readonly ts.Statement[];
}

export interface StreamSite {
  form: 'pipe' | 'pipeline' | 'pipeline-await';
  create: ts.CallExpression | ts.NewExpression;
  path: ts.Expression;
  start?: ts.Expression;
  end?: ts.Expression;
  encoding?: string;
  target: Target;
  /** The statement that starts the transfer (the pipe or pipeline); replaced by the rewrite. */
  sendStatement: ts.Statement;
  /** Other statements of the stream the rewrite deletes (its declaration, listeners, cleanup). */
  deleted: ts.Statement[];
  returned: boolean;
  /** The stream's 'error' listener (pipe) or the pipeline's callback. */
  onError?: StreamError;
  /** A pipeline callback's statements for success (what runs after the transfer finished). */
  onSuccess?: readonly ts.Statement[];
}

const STREAM_OPTIONS_DROPPED = new Set(['highWaterMark']);

function isCreateReadStream(ctx: FixContext, e: ts.Expression): boolean {
  return skipOuter(e) === ctx.source;
}

function streamOptions(ctx: FixContext, site: Partial<StreamSite>, options: ts.Expression | undefined): void {
  if (!options) return;
  const o = skipOuter(options);
  const lit = literalText(o);
  if (lit !== undefined) {
    site.encoding = lit.toLowerCase();
    return;
  }
  if (!ts.isObjectLiteralExpression(o)) refuse(`the stream's options ${quote(ctx.sf, options)} are not written out`);
  for (const p of o.properties) {
    if (!ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p)) refuse(`the stream option ${quote(ctx.sf, p)} is not a plain \`name: value\``);
    const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
    const value = ts.isPropertyAssignment(p) ? p.initializer : p.name;
    if (name === 'start') site.start = value;
    else if (name === 'end') {
      const v = skipOuter(value);
      if (!(ts.isIdentifier(v) && v.text === 'Infinity')) site.end = value;
    } else if (name === 'encoding') {
      const e = literalText(value);
      if (e === undefined) refuse(`the stream's encoding ${quote(ctx.sf, value)} is not a literal`);
      site.encoding = e.toLowerCase();
    } else if (name === 'flags' && literalText(value) === 'r') continue;
    else if (name !== undefined && STREAM_OPTIONS_DROPPED.has(name)) continue;
    else refuse(`the stream option ${quote(ctx.sf, p)} would be lost`);
  }
}

/** The `'error'` listener of `s.on('error', h)` / `s.once('error', h)`, or undefined. */
function errorListener(ctx: FixContext, call: ts.CallExpression): StreamError | undefined {
  const name = methodName(call);
  if ((name !== 'on' && name !== 'once') || literalText(call.arguments[0]) !== 'error' || !call.arguments[1]) return undefined;
  return listenerOf(ctx, call.arguments[1]);
}

function listenerOf(ctx: FixContext, e: ts.Expression): StreamError {
  const h = skipOuter(e);
  if (ts.isIdentifier(h)) {
    const b = ctx.ev.scopes.resolve(h);
    if (!b || (b.kind !== 'function' && !(b.kind === 'const' && ts.isVariableDeclaration(b.decl) && b.decl.initializer && isFunctionNode(skipOuter(b.decl.initializer))))) {
      refuse(`the error handler ${quote(ctx.sf, h)} is not a function of this file`);
    }
    return { fn: h, statements: [] };
  }
  if (!ts.isArrowFunction(h) && !ts.isFunctionExpression(h)) refuse(`the error handler ${quote(ctx.sf, e)} is not a function written here`);
  const [p, ...rest] = h.parameters;
  if (rest.length || (p && !ts.isIdentifier(p.name))) refuse('the error handler does not take the error as one plain name');
  const statements = ts.isBlock(h.body) ? h.body.statements : [expressionStatementOf(h.body)];
  return { fn: h, param: p && ts.isIdentifier(p.name) ? p.name : undefined, statements };
}

/** `target.on('close', () => s.destroy())` and the like: cleanup a sendFile needs no more. */
function isCleanup(ctx: FixContext, st: ts.Statement, stream: Binding): boolean {
  if (!ts.isExpressionStatement(st) || !ts.isCallExpression(st.expression)) return false;
  const c = st.expression;
  const name = methodName(c);
  if ((name !== 'on' && name !== 'once') || !['close', 'aborted', 'finish'].includes(literalText(c.arguments[0]) ?? '')) return false;
  const fn = c.arguments[1] && skipOuter(c.arguments[1]);
  if (!fn || (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) || fn.parameters.length) return false;
  const body = ts.isBlock(fn.body) ? (fn.body.statements.length === 1 && ts.isExpressionStatement(fn.body.statements[0]!) ? fn.body.statements[0].expression : undefined) : fn.body;
  const call = body && skipOuter(body);
  if (!call || !ts.isCallExpression(call) || methodName(call) !== 'destroy' || call.arguments.length) return false;
  const recv = skipOuter((call.expression as ts.PropertyAccessExpression).expression);
  return ts.isIdentifier(recv) && ctx.ev.scopes.resolve(recv) === stream;
}

/** The path, range and encoding of a `createReadStream(path[, options])` call. */
export function streamSiteOptions(ctx: FixContext, create: ts.CallExpression | ts.NewExpression): { path: ts.Expression; start?: ts.Expression; end?: ts.Expression; encoding?: string } {
  const args = create.arguments ?? ts.factory.createNodeArray();
  if (!args[0] || args.some((a) => ts.isSpreadElement(a))) refuse('the stream is not opened on a path');
  if (args.length > 2) refuse('the stream takes more arguments than a path and options');
  const site: Partial<StreamSite> = { path: args[0] };
  streamOptions(ctx, site, args[1]);
  return site as { path: ts.Expression };
}

export function streamSite(ctx: FixContext): StreamSite {
  const create = ctx.source;
  const sink = ctx.sink;
  if (!sink) refuse(ctx.noSink().replace('the bytes are', 'the stream is'));
  if (!ts.isCallExpression(sink)) refuse(`the stream is handed over by ${quote(ctx.sf, sink)}, not piped`);
  const site: Partial<StreamSite> & { deleted: ts.Statement[] } = { create, deleted: [] };
  const args = create.arguments ?? ts.factory.createNodeArray();
  if (!args[0] || args.some((a) => ts.isSpreadElement(a))) refuse('the stream is not opened on a path');
  if (args.length > 2) refuse('the stream takes more arguments than a path and options');
  site.path = args[0];
  streamOptions(ctx, site, args[1]);
  let streamExpr: ts.Expression;
  const name = methodName(sink);
  if (name === 'pipe') {
    if (sink.arguments.length !== 1) refuse('`pipe` is given options (`{ end: false }` keeps the target open)');
    site.form = 'pipe';
    site.target = targetOf(ctx, sink.arguments[0]!);
    streamExpr = skipOuter((skipOuter(sink.expression) as ts.PropertyAccessExpression).expression);
    // `createReadStream(p).on('error', h).pipe(res)`
    while (ts.isCallExpression(streamExpr) && !isCreateReadStream(ctx, streamExpr)) {
      const listener = errorListener(ctx, streamExpr);
      if (!listener || site.onError) refuse(`the stream is also given ${quote(ctx.sf, streamExpr, 40)}`);
      site.onError = listener;
      streamExpr = skipOuter((skipOuter(streamExpr.expression) as ts.PropertyAccessExpression).expression);
    }
  } else {
    // pipeline(stream, target[, callback]) from stream or stream/promises.
    const fn = ctx.ev.eval(sink.expression).find((v) => v.t === 'modfn' && v.name === 'pipeline');
    if (!fn || fn.t !== 'modfn') {
      const name = methodName(sink);
      if (name === 'write' || name === 'end') refuse(`the stream's chunks are written by hand (${quote(ctx.sf, sink)}); what the code does between them is its own, and a rewrite cannot prove it sends the file once, in order`);
      refuse(`the stream is handed to ${quote(ctx.sf, sink.expression)}, which is not \`pipe\` or \`pipeline\``);
    }
    const promised = fn.mod === 'stream/promises';
    const [src, dst, cb, ...more] = sink.arguments;
    if (!src || !dst || more.length || (promised && cb) || (!promised && !cb)) refuse('the pipeline has more than the stream, the target and a callback');
    site.target = targetOf(ctx, dst);
    streamExpr = skipOuter(src);
    if (promised) {
      const awaited = sink.parent && ts.isAwaitExpression(sink.parent) ? sink.parent : undefined;
      if (!awaited) refuse('the pipeline\'s promise is not awaited where it is made');
      site.form = 'pipeline-await';
    } else {
      site.form = 'pipeline';
      site.onError = listenerOf(ctx, cb!);
    }
  }
  const statement = statementOf(sink);
  const top = statement && (ts.isExpressionStatement(statement) || ts.isReturnStatement(statement)) && statement.expression ? skipOuter(statement.expression) : undefined;
  const expected = site.form === 'pipeline-await' ? sink.parent : sink;
  if (!statement || top !== expected) refuse(`the send ${quote(ctx.sf, sink)} is part of a larger expression`);
  site.sendStatement = statement;
  site.returned = ts.isReturnStatement(statement);
  if (!isCreateReadStream(ctx, streamExpr)) {
    // const s = createReadStream(…); … s.pipe(res)
    if (!ts.isIdentifier(streamExpr)) refuse(`the stream piped is ${quote(ctx.sf, streamExpr)}, not the one opened here`);
    const b = ctx.ev.scopes.resolve(streamExpr);
    const decl = b?.decl;
    if (!b || !decl || !ts.isVariableDeclaration(decl) || !decl.initializer || skipOuter(decl.initializer) !== create || b.path.length) refuse('the stream is not opened into a name right before it is sent');
    const declList = decl.parent;
    const declStatement = declList.parent;
    if (!ts.isVariableDeclarationList(declList) || !ts.isVariableStatement(declStatement) || declList.declarations.length !== 1) refuse('the stream is declared with other names');
    const list = siblingsOf(declStatement);
    if (!list || !list.includes(statement)) refuse('the stream is opened in one block and sent in another');
    site.deleted.push(declStatement);
    if (ctx.ev.scopes.assignmentsOf(b).length) refuse(`\`${b.name}\` is assigned again`);
    for (const ref of ctx.ev.scopes.refsOf(b)) {
      if (inside(ref, statement) && skipOuter(ref) === streamExpr) continue;
      const st = statementOf(ref);
      if (st && list.includes(st) && ts.isExpressionStatement(st) && ts.isCallExpression(st.expression)) {
        const callee = st.expression.expression;
        const onStream = ts.isPropertyAccessExpression(callee) && skipOuter(callee.expression) === ref;
        const listener = onStream ? errorListener(ctx, st.expression) : undefined;
        if (listener && !site.onError) {
          site.onError = listener;
          site.deleted.push(st);
          continue;
        }
      }
      const outer = list.find((s) => inside(ref, s));
      if (outer && isCleanup(ctx, outer, b)) {
        if (!site.deleted.includes(outer)) site.deleted.push(outer);
        continue;
      }
      refuse(`the stream is also used at line ${lineOf(ctx.sf, ref)} (${quote(ctx.sf, ref.parent ?? ref, 50)})`);
    }
  }
  // A pipeline always has its callback (onError) by here, and the loop over the stream's uses above
  // has refused any use of it inside the error handler, which the rewrite removes with the stream.
  return site as StreamSite;
}
