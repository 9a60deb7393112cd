/**
 * Proof that a response carries no header of a given set, and the default status, where a rewrite
 * needs it: the rewrite sets the success path's headers before sendFile opens the file, and takes
 * them off again if the file cannot be sent, before the original error branch runs. Removing is
 * only exact if they were not there before; that is proven when the response is a parameter of a
 * plain `http`/`https` request handler (or of a local function only that handler calls) whose
 * other code cannot have set them, on any path that reaches the read.
 */
import ts from 'typescript';
import { skipOuter } from '../engine/scope';
import type { FixContext } from './context';
import { alwaysExits, inside, isFunctionNode, lineOf, literalText, quote, siblingsOf, statementOf } from './ast';
import { directCallSites } from './target';
import { refuse } from './refuse';

/** Reads of a response that change nothing. */
const READS = new Set(['get', 'headersSent', 'writableEnded', 'writableFinished', 'finished', 'destroyed', 'req', 'socket', 'getHeader', 'hasHeader', 'getHeaders', 'getHeaderNames', 'statusCode', 'on', 'once', 'addListener', 'removeListener', 'off', 'setTimeout']);
const NAMED_SETTERS = new Set(['setHeader', 'appendHeader', 'removeHeader']);
/** express's setters: they set headers or the status, and build nothing. */
const EXPRESS_SETTERS = new Set(['set', 'header', 'type', 'contentType', 'status', 'vary', 'append', 'location', 'links', 'cookie', 'clearCookie', 'attachment']);

function isRequestHandler(ctx: FixContext, fn: ts.Node): boolean {
  let e: ts.Node = fn;
  while (e.parent && ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const call = e.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(e as ts.Expression)) return false;
  const callee = skipOuter(call.expression);
  for (const v of ctx.ev.eval(callee)) {
    if (v.t === 'modfn' && (v.mod === 'http' || v.mod === 'https' || v.mod === 'http2') && (v.name === 'createServer' || v.name === 'createSecureServer')) return call.arguments[call.arguments.length - 1] === e;
  }
  if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'on' || callee.name.text === 'once' || callee.name.text === 'addListener') && literalText(call.arguments[0]) === 'request' && call.arguments[1] === e) {
    return ctx.ev.eval(callee.expression).some((v) => v.t === 'server' && (v.proto === 'http' || v.proto === 'https' || v.proto === 'http2'));
  }
  return false;
}

/** The statement holding `node` at the level of `list`'s members, if `node` is inside one of them. */
function memberHolding(list: readonly ts.Statement[], node: ts.Node): ts.Statement | undefined {
  if (!ts.isStatement(node)) return undefined;
  return list.find((s) => inside(node, s));
}

/** Once `point` has run, the function returns (or throws) before running anything else of its own. */
function exitsAfter(point: ts.Statement, fn: ts.Node): boolean {
  let s: ts.Node = point;
  for (;;) {
    if (ts.isReturnStatement(s) || ts.isThrowStatement(s)) return true;
    const list = siblingsOf(s as ts.Statement);
    if (list && list.slice(list.indexOf(s as ts.Statement) + 1).some((x) => alwaysExits(x))) return true;
    let p: ts.Node | undefined = s.parent;
    if (!p || p === fn || isFunctionNode(p) || ts.isSourceFile(p)) return false;
    if (ts.isBlock(p) || ts.isCaseClause(p) || ts.isDefaultClause(p)) {
      if (p.parent === fn || isFunctionNode(p.parent)) return false;
      // A block that is itself a statement of a list; otherwise the if/try/case holding it.
      if (!(ts.isBlock(p) && (ts.isBlock(p.parent) || ts.isSourceFile(p.parent)))) p = ts.isCatchClause(p.parent) ? p.parent.parent : ts.isCaseBlock(p.parent) ? p.parent.parent : p.parent;
    }
    // Loops run their body again: what follows the point inside them may run before it exits.
    if (!p || ts.isIterationStatement(p, false)) return false;
    s = p;
  }
}

/** Whether `ref` and `point` lie in different branches of one `if`: they never both run. */
function exclusive(ref: ts.Node, point: ts.Node): boolean {
  for (let n = ref.parent; n; n = n.parent) {
    if (ts.isIfStatement(n) && inside(point, n)) {
      const refThen = inside(ref, n.thenStatement);
      const pointThen = inside(point, n.thenStatement);
      const refElse = n.elseStatement !== undefined && inside(ref, n.elseStatement);
      const pointElse = n.elseStatement !== undefined && inside(point, n.elseStatement);
      return (refThen && pointElse) || (refElse && pointThen);
    }
    if (inside(point, n)) return false;
  }
  return false;
}

/** Whether `ref` sits in an `if` (or a `catch`) before the point whose branch always leaves the function. */
function inExitingBranchBefore(ref: ts.Node, point: ts.Node): boolean {
  if (!point) return false;
  for (let n = ref.parent; n; n = n.parent) {
    if (isFunctionNode(n)) return false;
    if (ts.isCatchClause(n) && !inside(point, n.parent) && alwaysExits(n.block) && n.end <= point.pos) return true;
    if (ts.isIfStatement(n) && !inside(point, n)) {
      if (inside(ref, n.thenStatement) && alwaysExits(n.thenStatement) && n.end <= point.pos) return true;
      if (n.elseStatement && inside(ref, n.elseStatement) && alwaysExits(n.elseStatement) && n.end <= point.pos) return true;
    }
  }
  return false;
}

/** One use of the response: a read, or a method call (express's setters chain: each must be harmless). */
function harmlessStep(p: ts.PropertyAccessExpression, names: ReadonlySet<string>, status: boolean): 'read' | 'call' | false {
  const name = p.name.text;
  const assigned = p.parent && ts.isBinaryExpression(p.parent) && p.parent.left === p && p.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
  const called = p.parent && ts.isCallExpression(p.parent) && p.parent.expression === p;
  if (assigned) return name === 'statusCode' && !status ? 'read' : false;
  if (!called) return READS.has(name) || name === 'statusCode' ? 'read' : false;
  const call = p.parent as ts.CallExpression;
  if (READS.has(name)) return 'read';
  // Setting any header or status is harmless where only an unbuilt head is needed.
  if (names.size === 0 && !status && (NAMED_SETTERS.has(name) || EXPRESS_SETTERS.has(name))) return 'call';
  if (NAMED_SETTERS.has(name) || name === 'set' || name === 'header' || name === 'append') {
    const header = literalText(call.arguments[0]);
    return header !== undefined && !names.has(header.toLowerCase()) ? 'call' : false;
  }
  return false;
}

/** A use of the response that cannot build its head, set any of `names` or (with `status`) the status. */
function harmless(ref: ts.Identifier, names: ReadonlySet<string>, status: boolean): boolean {
  let e: ts.Expression = ref;
  for (;;) {
    const p = e.parent;
    if (!p || !ts.isPropertyAccessExpression(p) || p.expression !== e) return e !== ref;
    const step = harmlessStep(p, names, status);
    if (!step) return false;
    if (step === 'read') return true;
    // A setter returns the response: what is chained on it is a use too.
    e = p.parent as ts.CallExpression;
  }
}

/**
 * Proves that when `point` (a statement of the function declaring `res`, or nested in it) runs, and
 * until its asynchronous error branch runs, the response's head is not built, and `res` has none of
 * `names` and (with `status`) the default status. The head: nothing in view builds it first (a
 * framework calls its handlers with an unbuilt head). The headers and status: only where `res` is
 * a parameter of an `http.createServer` handler, or of a local function only such code calls
 * (middleware may set headers before a framework's handler runs). Refuses with the reason otherwise.
 */
export function proveFreshResponse(ctx: FixContext, res: ts.Expression, span: ts.Node | readonly ts.Node[], names: ReadonlySet<string>, status: boolean, errorBranch: readonly ts.Node[] = [], depth = 0): void {
  const statements: readonly ts.Node[] = Array.isArray(span) ? span : [span as ts.Node];
  const point = statements[0]!;
  const last = statements[statements.length - 1]!;
  const needsHandler = names.size > 0 || status;
  const what = [...names].map((n) => `\`${n}\``).join(', ') + (status ? (names.size ? ' and the status' : 'the status') : '');
  const unproven: (why: string) => never = (why) =>
    needsHandler
      ? refuse(`the headers the success path sets (${what}) would also be on the error response, unless they were not set before; ${why}`)
      : refuse(`sendFile needs the response's head unbuilt, to send it with the file; ${why}`);
  const id = skipOuter(res);
  if (!ts.isIdentifier(id)) unproven(`${quote(ctx.sf, res)} is not a plain parameter`);
  const b = ctx.ev.scopes.resolve(id);
  if (!b || b.kind !== 'param' || b.path.length > 0 || !ts.isParameter(b.decl)) unproven(`${quote(ctx.sf, id)} is not a parameter of the function`);
  const fn = b.decl.parent;
  for (const ref of ctx.ev.scopes.refsOf(b)) {
    // The replaced statements, and the error branch: it runs at the failure, after the undo.
    if (statements.some((st) => ref.getStart(ctx.sf) >= st.getStart(ctx.sf) && ref.end <= st.end) || errorBranch.some((e) => inside(ref, e))) continue;
    if (harmless(ref, names, status)) continue;
    if (exclusive(ref, point) || inExitingBranchBefore(ref, point)) continue;
    const body = (fn as ts.FunctionLikeDeclaration).body;
    const top = body && ts.isBlock(body) ? memberHolding(body.statements, point) : undefined;
    // An arrow's expression body is the whole function: nothing of it runs after.
    if (ref.pos >= last.end && (!ts.isStatement(last) || (top && exitsAfter(last, fn)))) continue;
    const use = ref.parent && ts.isPropertyAccessExpression(ref.parent) ? (ref.parent.parent && ts.isCallExpression(ref.parent.parent) ? ref.parent.parent : ref.parent) : ref;
    unproven(`${quote(ctx.sf, use, 50)} at line ${lineOf(ctx.sf, ref)} may ${needsHandler ? 'set them' : 'build it'} first`);
  }
  if (isRequestHandler(ctx, fn)) return;
  const sites = directCallSites(ctx, id);
  if (!sites) {
    if (!needsHandler) return;
    unproven(`${quote(ctx.sf, id)} comes from code that may have set them (it is not the parameter of an \`http.createServer\` handler)`);
  }
  if (depth > 2) unproven(`${quote(ctx.sf, id)} is passed through too many functions to follow`);
  for (const call of sites.calls) {
    const arg = call.arguments[sites.index];
    // The call's statement, or the call itself when it is an arrow's expression body.
    const st = statementOf(call) ?? (call.parent && ts.isArrowFunction(call.parent) && call.parent.body === call ? call : undefined);
    if (!arg || !st) unproven(`the call ${quote(ctx.sf, call)} does not pass the response plainly`);
    proveFreshResponse(ctx, arg, st, names, status, [], depth + 1);
  }
}
