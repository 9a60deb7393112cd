/**
 * Where a whole read's error goes, in the original code: the callback's error branch, the `catch`
 * around an awaited read, or out of the function to its caller.
 */
import ts from 'typescript';
import type { FixContext } from './context';
import type { WholeRead } from './wholeRead';
import { enclosingFunction, inside, isFunctionNode } from './ast';

export type ErrorPath =
  | { to: 'branch'; statements: readonly ts.Statement[] }
  | { to: 'catch'; statements: readonly ts.Statement[]; param?: ts.Identifier; tryStatement: ts.TryStatement }
  | { to: 'caller'; fn: ts.Node | undefined };

export function errorPathOf(ctx: FixContext, read: WholeRead): ErrorPath {
  if (read.form === 'callback') return { to: 'branch', statements: read.completion!.error };
  for (let n: ts.Node | undefined = read.statement.parent; n; n = n.parent) {
    if (isFunctionNode(n)) break;
    if (ts.isTryStatement(n) && inside(read.statement, n.tryBlock) && n.catchClause) {
      const v = n.catchClause.variableDeclaration;
      return { to: 'catch', statements: n.catchClause.block.statements, param: v && ts.isIdentifier(v.name) ? v.name : undefined, tryStatement: n };
    }
  }
  return { to: 'caller', fn: enclosingFunction(read.statement) };
}
