/**
 * A completion callback split where it tests its error: `(err, data) => { if (err) ERR; SUCCESS }`
 * and its if/else forms. The rewrites keep ERR for the same errors and SUCCESS for success.
 */
import ts from 'typescript';
import { skipOuter } from '../engine/scope';
import type { FixContext } from './context';
import { alwaysExits, blockBody, branchStatements, quote, type FunctionNode } from './ast';
import { refuse } from './refuse';

export interface Completion {
  /** The statements that run on error (their final `return` kept: it leaves the handler). */
  error: readonly ts.Statement[];
  /** The statements that run on success. */
  success: readonly ts.Statement[];
  /** The `if` statement that tests the error (none for a promise's rejection handler). */
  test: ts.IfStatement | undefined;
}

/** `err` itself, or `err != null` / `err !== null` / `err !== undefined` style tests of it. */
function testsError(ctx: FixContext, e: ts.Expression, err: ts.Identifier): 'error' | 'success' | undefined {
  const x = skipOuter(e);
  const isErr = (y: ts.Expression) => {
    const z = skipOuter(y);
    return ts.isIdentifier(z) && ctx.ev.scopes.resolve(z) === ctx.ev.scopes.declaredBy(err);
  };
  if (isErr(x)) return 'error';
  if (ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.ExclamationToken && isErr(x.operand)) return 'success';
  if (ts.isBinaryExpression(x) && isErr(x.left) && (x.right.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(x.right) && x.right.text === 'undefined'))) {
    const op = x.operatorToken.kind;
    if (op === ts.SyntaxKind.ExclamationEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken) return 'error';
    if (op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsEqualsToken) return 'success';
  }
  return undefined;
}

export function splitOnError(ctx: FixContext, fn: FunctionNode, err: ts.Identifier, what: string): Completion {
  const body = blockBody(fn, what);
  const [first, ...rest] = body.statements;
  if (!first || !ts.isIfStatement(first)) refuse(`${what} does not test its error first (\`if (${err.text}) …\`), so which code is the error branch cannot be told`);
  const kind = testsError(ctx, first.expression, err);
  if (!kind) refuse(`${what} starts with ${quote(ctx.sf, first.expression)}, not a test of \`${err.text}\``);
  const then = branchStatements(first.thenStatement);
  const otherwise = first.elseStatement ? branchStatements(first.elseStatement) : undefined;
  if (kind === 'error') {
    if (otherwise) {
      if (rest.length) refuse(`${what} has statements after its if/else on \`${err.text}\``);
      return { error: then, success: otherwise, test: first };
    }
    if (rest.length && !alwaysExits(first.thenStatement)) refuse(`the error branch of ${what} does not return, so the code after it also runs on error`);
    return { error: then, success: rest, test: first };
  }
  if (rest.length) refuse(`${what} has statements after its \`if (!${err.text})\``);
  return { error: otherwise ?? [], success: then, test: first };
}

/**
 * An arrow function's expression body (`(err) => res.end()`) as the statement it stands for: a
 * stand-in that the analyses read like any expression statement, and that emit.ts writes as the
 * expression followed by the file's statement end.
 */
export interface ExpressionBodyStatement extends ts.ExpressionStatement {
  readonly expressionBody: ts.Expression;
}

export function expressionStatementOf(body: ts.Expression): ExpressionBodyStatement {
  const st = ts.factory.createExpressionStatement(body) as ts.ExpressionStatement & { expressionBody?: ts.Expression };
  // Positions and parent of the body, so that text, comments and scopes resolve as for real code.
  Object.defineProperties(st, {
    pos: { value: body.pos },
    end: { value: body.end },
    parent: { value: body.parent },
    expression: { value: body },
    expressionBody: { value: body },
  });
  return st as ExpressionBodyStatement;
}

export function isExpressionBody(s: ts.Statement): s is ExpressionBodyStatement {
  return (s as Partial<ExpressionBodyStatement>).expressionBody !== undefined;
}
