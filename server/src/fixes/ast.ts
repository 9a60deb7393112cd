/** Small syntax questions the rewrites ask: where a statement sits, whether it exits, call chains. */
import ts from 'typescript';
import { skipOuter } from '../engine/scope';
import { refuse } from './refuse';

export type FunctionNode = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

export function isFunctionNode(n: ts.Node): n is FunctionNode {
  return ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n);
}

export function enclosingFunction(node: ts.Node): FunctionNode | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunctionNode(n)) return n;
  return undefined;
}

/** The statement that holds `node` directly (no function boundary crossed). */
export function statementOf(node: ts.Node): ts.Statement | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (isFunctionNode(n) && n !== node) return undefined;
    if (ts.isStatement(n) || ts.isVariableStatement(n)) return n as ts.Statement;
  }
  return undefined;
}

/** The statement list `statement` is a member of (a block, a case clause, the file), or undefined. */
export function siblingsOf(statement: ts.Statement): ts.NodeArray<ts.Statement> | undefined {
  const p = statement.parent;
  if (ts.isBlock(p) || ts.isSourceFile(p) || ts.isModuleBlock(p) || ts.isCaseClause(p) || ts.isDefaultClause(p)) return p.statements;
  return undefined;
}

/** Whether control never leaves `s` normally: it returns or throws on every path. */
export function alwaysExits(s: ts.Statement | undefined): boolean {
  if (!s) return false;
  if (ts.isReturnStatement(s) || ts.isThrowStatement(s)) return true;
  if (ts.isBlock(s)) return s.statements.some((x) => alwaysExits(x));
  if (ts.isIfStatement(s)) return alwaysExits(s.thenStatement) && alwaysExits(s.elseStatement);
  return false;
}

/** The statements a branch stands for: a block's, or the single statement. */
export function branchStatements(s: ts.Statement): readonly ts.Statement[] {
  return ts.isBlock(s) ? s.statements : [s];
}

/** `a.b(…).c(…)` -> the calls from the root outwards, and the root expression (`a`). */
export function callChain(e: ts.Expression): { root: ts.Expression; calls: ts.CallExpression[] } {
  const calls: ts.CallExpression[] = [];
  let cur = skipOuter(e);
  while (ts.isCallExpression(cur) && ts.isPropertyAccessExpression(skipOuter(cur.expression))) {
    calls.unshift(cur);
    cur = skipOuter((skipOuter(cur.expression) as ts.PropertyAccessExpression).expression);
  }
  return { root: cur, calls };
}

export function methodName(call: ts.CallExpression): string | undefined {
  const callee = skipOuter(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

/** The text of a literal string (or a template without substitutions). */
export function literalText(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const x = skipOuter(e);
  return ts.isStringLiteral(x) || ts.isNoSubstitutionTemplateLiteral(x) ? x.text : undefined;
}

export function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** A node's text, shortened for a reason. */
export function quote(sf: ts.SourceFile, node: ts.Node, max = 60): string {
  const t = node.getText(sf).replace(/\s+/g, ' ');
  return '`' + (t.length > max ? t.slice(0, max - 1) + '…' : t) + '`';
}

/** Whether `node` lies inside `outer` (or is it). */
export function inside(node: ts.Node, outer: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === outer) return true;
  return false;
}

/** Every identifier below `node` that refers to one of the given declarations' bindings (by resolution). */
export function referencesIn(node: ts.Node, ids: (id: ts.Identifier) => boolean): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      if (ids(n)) out.push(n);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

/** Whether a function's body uses `this` or `arguments` of its own (an arrow in its place would change them). */
export function usesOwnThisOrArguments(fn: FunctionNode): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n.kind === ts.SyntaxKind.ThisKeyword || (ts.isIdentifier(n) && n.text === 'arguments')) {
      found = true;
      return;
    }
    if (isFunctionNode(n) && !ts.isArrowFunction(n)) return;
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/** The callback's body as a block, or no fix. */
export function blockBody(fn: FunctionNode, what: string): ts.Block {
  if (!fn.body || !ts.isBlock(fn.body)) refuse(`${what} is an expression-bodied arrow function; the rewrite needs its statements`);
  return fn.body;
}
