/**
 * Where a read's error goes in the original code: the callback's error branch, the `catch` around
 * the read, out of the function to its caller, or nowhere (a promise no one handles).
 */
import ts from 'typescript';
import type { FixContext } from './context';
import type { WholeRead } from './wholeRead';
import { enclosingFunction, inside, isFunctionNode } from './ast';

export type ErrorPath =
  | { to: 'branch'; statements: readonly ts.Statement[] }
  | { to: 'catch'; statements: readonly ts.Statement[]; param?: ts.Identifier; tryStatement: ts.TryStatement }
  | { to: 'caller'; fn: ts.Node | undefined }
  | { to: 'nowhere' };

/** The `try` (with a `catch`) around `statement` inside its own function, if any. */
export function enclosingTry(statement: ts.Node): ts.TryStatement | undefined {
  for (let n: ts.Node | undefined = statement.parent; n; n = n.parent) {
    if (isFunctionNode(n)) return undefined;
    if (ts.isTryStatement(n) && inside(statement, n.tryBlock) && n.catchClause) return n;
  }
  return undefined;
}

export function errorPathOf(ctx: FixContext, read: WholeRead): ErrorPath {
  if (read.form === 'callback') return read.unhandled ? { to: 'nowhere' } : { to: 'branch', statements: read.completion!.error };
  if (read.assigned) return { to: 'branch', statements: read.assigned.tryStatement.catchClause!.block.statements };
  const t = enclosingTry(read.statement);
  if (t) {
    const v = t.catchClause!.variableDeclaration;
    return { to: 'catch', statements: t.catchClause!.block.statements, param: v && ts.isIdentifier(v.name) ? v.name : undefined, tryStatement: t };
  }
  void ctx;
  return { to: 'caller', fn: enclosingFunction(read.statement) };
}

export function isAsync(fn: ts.Node | undefined): boolean {
  return !!fn && !!(ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async);
}
