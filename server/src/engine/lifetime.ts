import ts from 'typescript';
import { isFunctionScope } from './scope';
import type { Flow } from './flows';

/**
 * Whether a flow moves the file's bytes on every request, rather than serving bytes that were
 * read once (at module load, at startup, into a variable the handler shares between requests).
 *
 * The handler is the function that receives the sink. The bytes are per request when the source
 * call runs inside the handler, or reaches it through a call made inside the handler — and never
 * sit in a variable that the handler captures from an enclosing scope.
 */
export function isPerRequest(flow: Flow): boolean {
  if (flow.payload.t !== 'src' || flow.sink.t !== 'sink') return true;
  const handler = handlerOf(flow.sink.sink.origin);
  if (!handler) return true;
  const steps = [...flow.payload.trail, ...flow.via];
  for (const s of steps) {
    if (s.binding && isStrictAncestor(scopeOf(s.binding), handler)) return false;
  }
  return within(flow.payload.src.node, handler) || steps.some((s) => s.call === true && within(s.node, handler));
}

function handlerOf(origin: ts.Node): ts.Node | undefined {
  if (ts.isParameter(origin)) return origin.parent;
  if (ts.isClassLike(origin)) return origin;
  const scope = scopeOf(origin);
  return ts.isSourceFile(scope) ? undefined : scope;
}

function scopeOf(node: ts.Node): ts.Node {
  for (let n = node.parent; n; n = n.parent) if (isFunctionScope(n) || ts.isSourceFile(n)) return n;
  return node.getSourceFile();
}

function within(node: ts.Node, scope: ts.Node): boolean {
  if (node.getSourceFile() !== scope.getSourceFile()) return false;
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === scope) return true;
  return false;
}

function isStrictAncestor(a: ts.Node, b: ts.Node): boolean {
  return a !== b && within(b, a);
}
