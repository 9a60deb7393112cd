/**
 * Which server a handler runs on, recognised from how it is registered (`http.createServer(h)`,
 * `server.on('request', h)`, `app.get(path, h)` on express, `app.use(h)` on koa, `fastify.get`,
 * `net.createServer(h)`, `server.on('stream', h)` on http2), and what the harness hands it.
 */
import ts from 'typescript';
import type { BoundFile } from './program';
import { originOf, type Origin } from './origins';
import { declarationOf } from './references';

export type ServerKind = 'http' | 'express' | 'koa' | 'fastify' | 'net' | 'http2';

/** The arguments each server calls a handler with, in order (the names are the harness's). */
export const HANDLER_ARGS: Record<ServerKind, readonly string[]> = {
  http: ['req', 'res'],
  express: ['req', 'res', 'next'],
  koa: ['ctx', 'next'],
  fastify: ['request', 'reply'],
  net: ['socket'],
  http2: ['stream', 'headers'],
};

/** Which of HANDLER_ARGS is the sink. */
export const SINK_ARG: Record<ServerKind, number> = { http: 1, express: 1, koa: 0, fastify: 1, net: 0, http2: 0 };

/** What each handler argument is bound to, in the report's words. */
export const HANDLER_ARG_DESCRIPTIONS: Record<ServerKind, readonly string[]> = {
  http: ['the request (a GET from the load client)', 'the response of a real http server on 127.0.0.1'],
  express: ['the request (a GET from the load client)', "the response of the workspace's own express on 127.0.0.1", "express's next"],
  koa: ["the context of the workspace's own koa on 127.0.0.1", "koa's next"],
  fastify: ['the request (a GET from the load client)', "the reply of the workspace's own fastify on 127.0.0.1"],
  net: ['one end of a real TCP connection on 127.0.0.1'],
  http2: ['a stream of a real HTTP/2 session on 127.0.0.1', 'the request headers'],
};

/** The sink, in the report's environment. */
export const SINK_DESCRIPTION: Record<ServerKind, string> = {
  http: 'http server + client on 127.0.0.1',
  express: "the workspace's express + an HTTP/1.1 client on 127.0.0.1",
  koa: "the workspace's koa + an HTTP/1.1 client on 127.0.0.1",
  fastify: "the workspace's fastify + an HTTP/1.1 client on 127.0.0.1",
  net: 'a TCP socket pair on 127.0.0.1',
  http2: 'an HTTP/2 session on 127.0.0.1',
};

/** Frameworks run from the user's own installation; the package is resolved from their file. */
export const FRAMEWORK_PACKAGE: Partial<Record<ServerKind, string>> = { express: 'express', koa: 'koa', fastify: 'fastify' };

export type Registration = { kind: ServerKind } | { kind: 'tls' } | undefined;

const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener']);
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'head', 'options']);

/** How `fn` is registered as a handler, looking at the calls it (or its name) is passed to. */
export function registrationOf(file: BoundFile, fn: ts.FunctionLikeDeclaration): Registration {
  for (const site of passedAt(file, fn)) {
    const found = registrationAt(file, site.call, site.index);
    if (found) return found;
  }
  return undefined;
}

/** The calls `fn` is an argument of, directly or by name (`createServer(handler)`), or `{ handler: fn }` of. */
function passedAt(file: BoundFile, fn: ts.FunctionLikeDeclaration): Array<{ call: ts.CallExpression; index: number }> {
  const out: Array<{ call: ts.CallExpression; index: number }> = [];
  const asArgument = (node: ts.Node): void => {
    const parent = node.parent;
    if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) out.push({ call: parent, index: parent.arguments.indexOf(node as ts.Expression) });
    // fastify's `route({ method, url, handler })`
    if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name) && parent.name.text === 'handler' && ts.isObjectLiteralExpression(parent.parent) && ts.isCallExpression(parent.parent.parent)) {
      out.push({ call: parent.parent.parent, index: -1 });
    }
  };
  let node: ts.Node = fn;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  asArgument(node);
  const name = nameOf(fn);
  if (name) {
    const symbol = file.checker.getSymbolAtLocation(name);
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && n !== name && n.text === name.text && file.checker.getSymbolAtLocation(n) === symbol) asArgument(n);
      n.forEachChild(visit);
    };
    if (symbol) visit(file.sourceFile);
  }
  return out;
}

/** The name a function can be referred to by: its own, or the variable it initialises. */
export function nameOf(fn: ts.FunctionLikeDeclaration): ts.Identifier | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.name) return fn.name;
  let node: ts.Node = fn;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) return node.parent.name;
  return undefined;
}

function registrationAt(file: BoundFile, call: ts.CallExpression, index: number): Registration {
  const callee = call.expression;
  const direct = originOf(file, callee);
  if (direct && direct.path.length === 1) {
    const kind = serverFactory(direct.module, direct.path[0]!);
    if (kind) return kind;
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const target = originOf(file, callee.expression);
  if (!target) return undefined;
  if (LISTENER_METHODS.has(method) && index === 1) {
    const event = call.arguments[0];
    const server = serverOf(target);
    if (!server || !event || !ts.isStringLiteralLike(event)) return undefined;
    if (server === 'tls') return { kind: 'tls' };
    if (event.text === 'request' && server === 'http') return { kind: 'http' };
    if (event.text === 'connection' && server === 'net') return { kind: 'net' };
    if (event.text === 'stream' && server === 'http2') return { kind: 'http2' };
    return undefined;
  }
  const app = frameworkOf(target);
  if (app === 'express' && ROUTE_METHODS.has(method) && index >= 0) return { kind: 'express' };
  if (app === 'koa' && method === 'use') return { kind: 'koa' };
  if (app === 'fastify' && (ROUTE_METHODS.has(method) || method === 'route') && method !== 'use') return { kind: 'fastify' };
  return undefined;
}

function serverFactory(module: string, name: string): Registration {
  if (name !== 'createServer' && name !== 'createSecureServer') return undefined;
  if (module === 'http') return { kind: 'http' };
  if (module === 'net') return { kind: 'net' };
  if (module === 'http2') return name === 'createServer' ? { kind: 'http2' } : { kind: 'tls' };
  if (module === 'https' || module === 'tls') return { kind: 'tls' };
  return undefined;
}

/** The kind of server an origin is: `http.createServer(…)`, `new net.Server()`. */
function serverOf(origin: Origin): ServerKind | 'tls' | undefined {
  const path = origin.path;
  const made = (path[0] === 'createServer' || path[0] === 'Server' || path[0] === 'createSecureServer') && path[1] === '()' && path.length === 2;
  if (!made) return undefined;
  if (origin.module === 'http') return 'http';
  if (origin.module === 'net') return 'net';
  if (origin.module === 'http2') return path[0] === 'createSecureServer' ? 'tls' : 'http2';
  if (origin.module === 'https' || origin.module === 'tls') return 'tls';
  return undefined;
}

function frameworkOf(origin: Origin): 'express' | 'koa' | 'fastify' | undefined {
  const path = origin.path[0] === 'default' ? origin.path.slice(1) : origin.path;
  const text = path.join('.');
  if (origin.module === 'express' && (text === '()' || text === 'Router.()')) return 'express';
  if (origin.module === 'koa' && text === '()') return 'koa';
  if (origin.module === 'fastify' && (text === '()' || text === 'fastify.()')) return 'fastify';
  return undefined;
}

/** The parameters of `fn` as the names they declare (undefined for a destructured one). */
export function parameterNames(fn: ts.FunctionLikeDeclaration): Array<string | undefined> {
  return fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : undefined));
}

/** Whether `id` refers to a parameter of `fn`, and which. */
export function parameterIndex(file: BoundFile, fn: ts.FunctionLikeDeclaration, id: ts.Identifier): number {
  const decl = declarationOf(file.checker.getSymbolAtLocation(id));
  return fn.parameters.findIndex((p) => p === decl);
}
