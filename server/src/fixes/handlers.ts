/** Which functions are request handlers of Node's own servers (whose return value nobody reads). */
import ts from 'typescript';
import { skipOuter } from '../engine/scope';
import type { FixContext } from './context';
import { literalText } from './ast';

const SERVER_MODULES = new Set(['http', 'https', 'http2', 'net', 'tls']);

/** `http.createServer(fn)`, `https.createServer(opts, fn)`, `server.on('request' | 'connection' | 'stream', fn)`. */
export function isRequestHandlerFunction(ctx: FixContext, fn: ts.Node): boolean {
  let e: ts.Node = fn;
  while (e.parent && ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const call = e.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(e as ts.Expression)) return false;
  const callee = skipOuter(call.expression);
  for (const v of ctx.ev.eval(callee)) {
    if (v.t === 'modfn' && SERVER_MODULES.has(v.mod) && (v.name === 'createServer' || v.name === 'createSecureServer')) return call.arguments[call.arguments.length - 1] === e;
  }
  if (ts.isPropertyAccessExpression(callee) && ['on', 'once', 'addListener'].includes(callee.name.text) && call.arguments[1] === e) {
    const event = literalText(call.arguments[0]);
    return (event === 'request' || event === 'connection' || event === 'stream' || event === 'secureConnection') && ctx.ev.eval(callee.expression).some((v) => v.t === 'server');
  }
  return false;
}
