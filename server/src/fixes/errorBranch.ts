/**
 * What an error branch does with the response: whether it answers from the response's state (so a
 * header the rewrite set early would show on the error response), and which of that state it sets
 * afresh before answering (then the early header does not show).
 */
import ts from 'typescript';
import { skipOuter } from '../engine/scope';
import type { FixContext } from './context';
import type { Target } from './target';
import { callChain, literalText, methodName } from './ast';
import { isTarget } from './responseHead';

export interface ErrorEffects {
  /** It may answer from the response's state (or hand the response to code we do not see). */
  answers: boolean;
  /** It sets the status itself before answering. */
  setsStatus: boolean;
  /** Headers it sets itself before answering (lower case). */
  setsHeaders: Set<string>;
}

const SENDS = new Set(['end', 'write', 'send', 'json', 'jsonp', 'sendStatus', 'sendFile', 'download', 'redirect', 'render', 'flushHeaders', 'respond', 'pipe']);

function mentions(ctx: FixContext, target: Target, node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isExpression(n) && isTarget(ctx, target, n)) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** Whether evaluating `node` may call anything but `console.*` (which cannot touch the response). */
function callsOut(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isTaggedTemplateExpression(n)) {
      const callee = skipOuter(ts.isTaggedTemplateExpression(n) ? n.tag : n.expression);
      const isConsole = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'console';
      if (!isConsole) {
        found = true;
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

export function errorEffects(ctx: FixContext, target: Target, statements: readonly ts.Statement[]): ErrorEffects {
  const fx: ErrorEffects = { answers: false, setsStatus: false, setsHeaders: new Set() };
  const onChain = (e: ts.Expression): 'stop' | 'go' => {
    const { root, calls } = callChain(e);
    if (!isTarget(ctx, target, root)) return 'stop';
    for (const c of calls) {
      const name = methodName(c) ?? '';
      const args = c.arguments;
      if (name === 'writeHead') {
        fx.setsStatus = true;
        const h = args[args.length - 1] && skipOuter(args[args.length - 1]!);
        if (h && ts.isObjectLiteralExpression(h)) {
          for (const p of h.properties) if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) fx.setsHeaders.add(p.name.text.toLowerCase());
        }
      } else if (name === 'setHeader' || name === 'set' || name === 'header') {
        const n = literalText(args[0]);
        if (n !== undefined) fx.setsHeaders.add(n.toLowerCase());
        else {
          const o = args[0] && skipOuter(args[0]);
          if (o && ts.isObjectLiteralExpression(o)) for (const p of o.properties) if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) fx.setsHeaders.add(p.name.text.toLowerCase());
        }
      } else if (name === 'status') fx.setsStatus = true;
      else if (name === 'type' || name === 'contentType') fx.setsHeaders.add('content-type');
      else if (name === 'sendStatus') {
        fx.setsStatus = true;
        fx.setsHeaders.add('content-type');
        fx.answers = true;
        return 'stop';
      } else {
        fx.answers = true;
        if (!SENDS.has(name)) return 'stop';
        return 'stop';
      }
    }
    return 'go';
  };
  for (const st of statements) {
    if (ts.isReturnStatement(st) && !st.expression) return fx;
    if (ts.isThrowStatement(st)) {
      if (mentions(ctx, target, st) || callsOut(st.expression)) fx.answers = true;
      return fx;
    }
    const e = ts.isExpressionStatement(st) ? skipOuter(st.expression) : ts.isReturnStatement(st) && st.expression ? skipOuter(st.expression) : undefined;
    if (e && ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(e.left) && isTarget(ctx, target, e.left.expression)) {
      if (e.left.name.text === 'statusCode') fx.setsStatus = true;
      if (mentions(ctx, target, e.right) || callsOut(e.right)) {
        fx.answers = true;
        return fx;
      }
      if (ts.isReturnStatement(st)) return fx;
      continue;
    }
    if (e && ts.isCallExpression(e) && isTarget(ctx, target, callChain(e).root)) {
      if (onChain(e) === 'stop') {
        if (!fx.answers) fx.answers = true;
        return fx;
      }
      if (ts.isReturnStatement(st)) return fx;
      continue;
    }
    if (mentions(ctx, target, st) || callsOut(st)) {
      fx.answers = true;
      return fx;
    }
    if (ts.isReturnStatement(st)) return fx;
  }
  return fx;
}
