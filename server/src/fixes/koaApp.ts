/**
 * What a koa rewrite must know about the app around a middleware: that the middleware is
 * registered on a `new Koa()` of this file that nothing else can add middleware to, and what the
 * middleware registered before it can do to the response (set headers or the status first, or
 * act after the downstream middleware has run: then no rewrite may bypass koa's response).
 */
import ts from 'typescript';
import { skipOuter } from '../engine/scope';
import type { FixContext } from './context';
import { isFunctionNode, literalText, quote, type FunctionNode } from './ast';
import { refuse } from './refuse';

export interface KoaMiddleware {
  fn: FunctionNode;
  /** The context parameter's name. */
  ctx: ts.Identifier;
  /** Headers (lower case) and the status the middleware before it may set; 'unknown' when a setter cannot be read. */
  upstream: { names: Set<string>; status: boolean; unknown: boolean };
}

function requiresKoa(e: ts.Expression | undefined): boolean {
  if (!e) return false;
  const x = skipOuter(e);
  if (ts.isCallExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'require') return literalText(x.arguments[0]) === 'koa';
  return false;
}

/** `Koa` bound to koa's export: `const Koa = require('koa')`, `import Koa from 'koa'`. */
function isKoaClass(ctx: FixContext, id: ts.Expression): boolean {
  if (!ts.isIdentifier(id)) return false;
  const b = ctx.ev.scopes.resolve(id);
  if (!b) return false;
  if (b.kind === 'import' && ts.isImportClause(b.decl)) {
    const decl = b.decl.parent;
    return ts.isImportDeclaration(decl) && literalText(decl.moduleSpecifier as ts.Expression) === 'koa';
  }
  return ts.isVariableDeclaration(b.decl) && b.path.length === 0 && requiresKoa(b.decl.initializer);
}

/** What a middleware that runs before may set (it may only go on with `await next()` last). */
function upstreamEffects(ctx: FixContext, g: ts.Expression, into: KoaMiddleware['upstream']): void {
  const fn = skipOuter(g);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) refuse(`the middleware before it (${quote(ctx.sf, g, 40)}) is not written here, so what it does to the response cannot be seen`);
  const [ctxP, nextP] = fn.parameters;
  const body = fn.body;
  const statements = ts.isBlock(body) ? body.statements : [];
  const nextName = nextP && ts.isIdentifier(nextP.name) ? nextP.name.text : undefined;
  const ctxName = ctxP && ts.isIdentifier(ctxP.name) ? ctxP.name.text : undefined;
  const visit = (n: ts.Node): void => {
    if (ts.isTryStatement(n)) refuse('a middleware before it wraps `next()` in a `try`: it would see errors the rewrite reports elsewhere');
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === nextName) {
      // Only as the last thing it does: `await next()` / `return next()` at the end of its body.
      let st: ts.Node = n;
      while (st.parent && !ts.isExpressionStatement(st) && !ts.isReturnStatement(st)) st = st.parent;
      const last = statements[statements.length - 1];
      const isLastOrReturn = st === last || ts.isReturnStatement(st);
      if (!isLastOrReturn) refuse('a middleware before it does more after `await next()`; it could change the response koa would have sent');
    }
    if (ctxName && ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === ctxName) {
      const name = n.name.text;
      const p = n.parent;
      const assigned = p && ts.isBinaryExpression(p) && p.left === n;
      if (assigned && name === 'status') into.status = true;
      else if (assigned && name === 'type') into.names.add('content-type');
      else if (assigned && name === 'length') into.names.add('content-length');
      else if (assigned && name === 'body') refuse('a middleware before it sets the body');
      else if (p && ts.isCallExpression(p) && p.expression === n && (name === 'set' || name === 'append')) {
        const h = literalText(p.arguments[0]);
        if (h === undefined) into.unknown = true;
        else into.names.add(h.toLowerCase());
      }
    }
    if (isFunctionNode(n) && n !== fn) return;
    ts.forEachChild(n, visit);
  };
  if (!ts.isBlock(body)) visit(body);
  else for (const st of statements) visit(st);
}

/** The koa middleware `fn` is, or no fix (with the reason). */
export function koaMiddleware(ctx: FixContext, fn: FunctionNode | undefined, ctxRef: ts.Expression): KoaMiddleware {
  const id = skipOuter(ctxRef);
  if (!fn || !ts.isIdentifier(id)) refuse('the koa context is not a plain parameter of the middleware');
  const b = ctx.ev.scopes.resolve(id);
  if (!b || b.kind !== 'param' || !ts.isParameter(b.decl) || b.decl.parent !== fn || fn.parameters.indexOf(b.decl) !== 0) refuse('the koa context is not the first parameter of the function that sends');
  let e: ts.Node = fn;
  while (e.parent && ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const use = e.parent;
  if (!use || !ts.isCallExpression(use) || use.arguments[0] !== e || !ts.isPropertyAccessExpression(use.expression) || use.expression.name.text !== 'use') {
    refuse('the function is not given to `app.use(…)` here, so the koa app around it (its other middleware) cannot be seen');
  }
  const app = skipOuter(use.expression.expression);
  const appBinding = ts.isIdentifier(app) ? ctx.ev.scopes.resolve(app) : undefined;
  const init = appBinding && ts.isVariableDeclaration(appBinding.decl) ? appBinding.decl.initializer : undefined;
  const created = init && skipOuter(init);
  if (!appBinding || !created || !ts.isNewExpression(created) || !isKoaClass(ctx, created.expression)) refuse(`\`${app.getText(ctx.sf)}\` is not a koa app made in this file`);
  const upstream: KoaMiddleware['upstream'] = { names: new Set(), status: false, unknown: false };
  for (const ref of ctx.ev.scopes.refsOf(appBinding)) {
    const p = ref.parent;
    const method = p && ts.isPropertyAccessExpression(p) && p.expression === ref ? p.name.text : undefined;
    const call = method && p!.parent && ts.isCallExpression(p!.parent) && p!.parent.expression === p ? p!.parent : undefined;
    if (method === 'use' && call) {
      if (call.pos < use.pos) upstreamEffects(ctx, call.arguments[0]!, upstream);
      continue;
    }
    if ((method === 'listen' || method === 'callback' || method === 'on') && call) continue;
    if (method && p!.parent && ts.isBinaryExpression(p!.parent) && p!.parent.left === p) continue; // app.proxy = true
    refuse(`the koa app \`${app.getText(ctx.sf)}\` is also used at line ${ctx.sf.getLineAndCharacterOfPosition(ref.getStart(ctx.sf)).line + 1}, where middleware may be added out of view`);
  }
  return { fn, ctx: id, upstream };
}
