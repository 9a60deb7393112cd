import ts from 'typescript';
import { skipOuter, within } from './scope';
import type { FileEvaluator } from './evaluator';
import type { FunctionLike } from './values';

/**
 * Branches of a helper that a call's constant arguments decide. `sendFile(res, file, 'html')`
 * with `if (TEXT.includes(ext)) file = gzip(file)` before the write: for that call the bytes
 * are always replaced by the helper's transform, so they do not reach the sink unchanged.
 */

/** A constant the engine can compare, or UNKNOWN. */
const UNKNOWN = Symbol('unknown');
type Const = string | number | boolean | null | undefined | Const[] | typeof UNKNOWN;

/**
 * Whether parameter `index` of `fn` (in `callee`'s file) is overwritten, with bytes that are not its
 * own, on every path from the function's start to `at` — given what `call` (in `caller`'s file) passes.
 */
export function replacedAt(callee: FileEvaluator, fn: FunctionLike, index: number, at: ts.Node, caller: FileEvaluator, call: ts.CallExpression | ts.NewExpression): boolean {
  const p = fn.parameters[index];
  const b = p && ts.isIdentifier(p.name) ? callee.scopes.declaredBy(p.name) : undefined;
  if (!b || !fn.body || !within(at, fn.body)) return false;
  for (const rhs of callee.scopes.assignmentsOf(b)) {
    const assignment = rhs.parent;
    const statement = assignment?.parent;
    if (!assignment || !ts.isBinaryExpression(assignment) || assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    if (!statement || !ts.isExpressionStatement(statement)) continue;
    // The new value must not carry the old bytes (`file = gzip(file)`, not `file = file.slice(1)`).
    if (callee.eval(rhs).some((v) => v.t === 'src' || (v.t === 'param' && v.fn === fn && v.index === index))) continue;
    const decided = guardOf(statement);
    if (!decided || !dominates(decided.statement, at)) continue;
    if (!decided.test) return true;
    const value = evaluate(decided.test, { fn, callee, caller, call });
    if (value !== UNKNOWN && truthy(value) === decided.when) return true;
  }
  return false;
}

/** The statement that runs `s` (itself, or the `if` whose branch holds it directly) and the condition that selects it. */
function guardOf(s: ts.Statement): { statement: ts.Statement; test?: ts.Expression; when: boolean } | undefined {
  let branch: ts.Statement = s;
  if (ts.isBlock(s.parent) && !ts.isIfStatement(s.parent.parent)) return { statement: s, when: true };
  if (ts.isBlock(s.parent)) branch = s.parent;
  const ifs = branch.parent;
  if (!ifs || !ts.isIfStatement(ifs)) return undefined;
  return { statement: ifs, test: ifs.expression, when: ifs.thenStatement === branch };
}

/** `s` runs before `at` on every path: `at` is inside a later statement of the same block. */
function dominates(s: ts.Statement, at: ts.Node): boolean {
  const block = s.parent;
  if (!ts.isBlock(block) && !ts.isSourceFile(block)) return false;
  const i = block.statements.indexOf(s);
  return block.statements.some((later, j) => j > i && within(at, later));
}

function truthy(v: Const): boolean {
  return Array.isArray(v) ? true : !!v;
}

interface Env {
  fn: FunctionLike;
  callee: FileEvaluator;
  caller: FileEvaluator;
  call: ts.CallExpression | ts.NewExpression;
}

/** Evaluates a condition of the helper, its parameters bound to the constants the call passes. */
function evaluate(e0: ts.Expression, env: Env): Const {
  const e = skipOuter(e0);
  if (ts.isIdentifier(e)) {
    const b = env.callee.scopes.resolve(e);
    if (b && ts.isParameter(b.decl) && b.decl.parent === env.fn && b.path.length === 0) {
      const arg = env.call.arguments?.[env.fn.parameters.indexOf(b.decl)];
      if (arg && !ts.isSpreadElement(arg)) return constant(arg, env.caller);
      return arg ? UNKNOWN : b.decl.initializer ? constant(b.decl.initializer, env.callee) : undefined;
    }
    return constant(e, env.callee);
  }
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
    const v = evaluate(e.operand, env);
    return v === UNKNOWN ? UNKNOWN : !truthy(v);
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    const l = evaluate(e.left, env);
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
      if (l !== UNKNOWN && truthy(l) === (op === ts.SyntaxKind.BarBarToken)) return l;
      return l === UNKNOWN ? UNKNOWN : evaluate(e.right, env);
    }
    const r = evaluate(e.right, env);
    if (l === UNKNOWN || r === UNKNOWN || Array.isArray(l) || Array.isArray(r)) return UNKNOWN;
    switch (op) {
      case ts.SyntaxKind.EqualsEqualsEqualsToken:
        return l === r;
      case ts.SyntaxKind.ExclamationEqualsEqualsToken:
        return l !== r;
      case ts.SyntaxKind.EqualsEqualsToken:
        return l == r;
      case ts.SyntaxKind.ExclamationEqualsToken:
        return l != r;
      default:
        return UNKNOWN;
    }
  }
  // `['js', 'html'].includes(ext)`, `types.indexOf(ext)`
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.arguments.length === 1) {
    const name = e.expression.name.text;
    const recv = evaluate(e.expression.expression, env);
    const arg = evaluate(e.arguments[0]!, env);
    if (recv === UNKNOWN || arg === UNKNOWN || !(Array.isArray(recv) || typeof recv === 'string')) return UNKNOWN;
    if (typeof recv === 'string' && typeof arg !== 'string') return UNKNOWN;
    if (name === 'includes') return (recv as Array<Const>).includes(arg as never);
    if (name === 'indexOf') return (recv as Array<Const>).indexOf(arg as never);
    return UNKNOWN;
  }
  return constant(e, env.callee);
}

/** A literal, an array of literals, or a `const` bound to one. */
function constant(e0: ts.Expression, ev: FileEvaluator, depth = 0): Const {
  const e = skipOuter(e0);
  if (ts.isStringLiteralLike(e)) return e.text;
  if (ts.isNumericLiteral(e)) return Number(e.text);
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (e.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isArrayLiteralExpression(e)) {
    const items = e.elements.map((x) => (ts.isSpreadElement(x) || ts.isOmittedExpression(x) ? UNKNOWN : constant(x, ev, depth)));
    return items.includes(UNKNOWN) ? UNKNOWN : items;
  }
  if (ts.isIdentifier(e)) {
    if (e.text === 'undefined') return undefined;
    const b = ev.scopes.resolve(e);
    if (depth < 4 && b && b.kind === 'const' && b.path.length === 0 && ts.isVariableDeclaration(b.decl) && b.decl.initializer) return constant(b.decl.initializer, ev, depth + 1);
  }
  return UNKNOWN;
}
