/**
 * What the bytes are written to, as the rewrites need to know it: a Node HTTP/1 response, a
 * socket, an HTTP/2 stream or compatibility response, a koa context, a fastify reply, an upload.
 * The engine's evaluator says what the receiver is; a receiver whose kind it cannot pin down
 * gets no fix.
 */
import ts from 'typescript';
import { skipOuter } from '../engine/scope';
import type { Sink } from '../engine/values';
import type { FixContext } from './context';
import { callChain, methodName, quote } from './ast';
import { refuse } from './refuse';

export type TargetKind = 'http-response' | 'http2-compat' | 'http2-stream' | 'socket' | 'tls-socket' | 'http-request' | 'koa' | 'fastify' | 'hapi';

export interface Target {
  kind: TargetKind;
  /** The receiver as written (`res`, `ctx`, `this.res`). */
  expr: ts.Expression;
  sink: Sink;
}

/** A receiver the rewrite may evaluate again (a name or a chain of property reads). */
export function isStableExpression(e: ts.Expression): boolean {
  const x = skipOuter(e);
  if (ts.isIdentifier(x) || x.kind === ts.SyntaxKind.ThisKeyword) return true;
  return ts.isPropertyAccessExpression(x) && isStableExpression(x.expression);
}

export function targetOf(ctx: FixContext, receiver: ts.Expression): Target {
  const sinks = sinksOf(ctx, receiver, 0);
  if (sinks.length === 0) refuse(`what ${quote(ctx.sf, receiver)} is cannot be determined`);
  const kinds = new Set(sinks.map((s) => kindOf(s)));
  if (kinds.size > 1) refuse(`${quote(ctx.sf, receiver)} may be ${[...kinds].join(' or ')}`);
  if (!isStableExpression(receiver)) refuse(`the receiver ${quote(ctx.sf, receiver)} is computed, and the rewrite would have to evaluate it again`);
  const sink = sinks.find((s) => !s.guessed) ?? sinks[0]!;
  return { kind: [...kinds][0]!, expr: skipOuter(receiver), sink };
}

function sinksOf(ctx: FixContext, e: ts.Expression, depth: number): Sink[] {
  const own = ctx.ev.eval(e).filter((v): v is Extract<typeof v, { t: 'sink' }> => v.t === 'sink').map((v) => v.sink);
  if (own.length || depth > 3) return own;
  // A parameter of a local function called by name: what its callers pass (the engine closes such
  // flows at the call sites; its evaluator leaves the parameter symbolic).
  const site = directCallSites(ctx, skipOuter(e));
  if (!site) return [];
  return site.calls.flatMap((c) => {
    const arg = c.arguments[site.index];
    return arg && !ts.isSpreadElement(arg) ? sinksOf(ctx, arg, depth + 1) : [];
  });
}

/**
 * When `e` is a parameter of a local function that is only ever called by name in this file (not
 * exported, not passed around): those calls and the parameter's index. Otherwise undefined.
 */
export function directCallSites(ctx: FixContext, e: ts.Expression): { fn: ts.FunctionLikeDeclaration; index: number; calls: ts.CallExpression[] } | undefined {
  if (!ts.isIdentifier(e)) return undefined;
  const b = ctx.ev.scopes.resolve(e);
  if (!b || b.kind !== 'param' || b.path.length > 0 || !ts.isParameter(b.decl)) return undefined;
  const fn = b.decl.parent;
  if (!ts.isFunctionDeclaration(fn) && !ts.isFunctionExpression(fn) && !ts.isArrowFunction(fn)) return undefined;
  const index = fn.parameters.indexOf(b.decl);
  let nameId: ts.Identifier | undefined;
  if (ts.isFunctionDeclaration(fn)) nameId = fn.name;
  else if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) && fn.parent.initializer === fn) nameId = fn.parent.name;
  if (!nameId) return undefined;
  if (ts.isFunctionDeclaration(fn) && fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return undefined;
  if (ts.isVariableDeclaration(fn.parent) && ts.isVariableStatement(fn.parent.parent.parent) && fn.parent.parent.parent.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return undefined;
  const fb = ctx.ev.scopes.declaredBy(nameId);
  if (!fb) return undefined;
  const calls: ts.CallExpression[] = [];
  for (const ref of ctx.ev.scopes.refsOf(fb)) {
    const p = ref.parent;
    if (!p || !ts.isCallExpression(p) || p.expression !== ref) return undefined;
    calls.push(p);
  }
  return calls.length ? { fn, index, calls } : undefined;
}

function kindOf(s: Sink): TargetKind {
  switch (s.cls) {
    case 'http-response':
      return s.transport === 'http2' ? 'http2-compat' : 'http-response';
    case 'socket':
      return s.transport === 'tls' ? 'tls-socket' : 'socket';
    case 'http2-stream':
      return 'http2-stream';
    case 'http-request':
      return 'http-request';
    case 'koa-ctx':
      return 'koa';
    case 'fastify-reply':
      return 'fastify';
    case 'hapi-toolkit':
      return 'hapi';
    case 'hono-ctx':
    case 'framework-body':
      return refuse('the bytes go to a framework that sends a returned body (Hono, a fetch-style handler): a web stream in place of the Buffer would go out with or without a Content-Length depending on how fast its first chunks come (@hono/node-server), and a HEAD answer drops the body unread, leaving the file open; no rewrite is offered');
    case 'file':
      return refuse('the bytes go to a file');
  }
}

/** The receiver of a send call: `res` in `res.end(x)` and in `res.writeHead(200).end(x)`. */
export function sendReceiver(call: ts.CallExpression): ts.Expression {
  const { root } = callChain(call);
  return root;
}

/** The payload of a send call, and the encoding argument after it. */
export function sendPayload(call: ts.CallExpression): { payload?: ts.Expression; encoding?: ts.Expression; method: string } {
  return { payload: call.arguments[0], encoding: call.arguments[1], method: methodName(call) ?? '' };
}
