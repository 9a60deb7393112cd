/**
 * Where a value comes from, followed through the module's bindings: `require('express')()`,
 * `new Koa()`, `http.createServer(…)`, `fsp.open(file)`. Enough to recognise which server a
 * handler is registered on and which file a handle reads.
 */
import ts from 'typescript';
import type { BoundFile } from './program';
import { findAncestor, requireOf } from './modules';
import { declarationOf } from './references';

export interface Origin {
  /** The module specifier, without `node:`. */
  module: string;
  /** Properties taken from the module, then calls: `express.Router()` is ['Router', '()']. */
  path: string[];
}

const MAX_DEPTH = 8;

export function originOf(file: BoundFile, expression: ts.Expression, depth = 0): Origin | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const e = skipOuter(expression);
  if (ts.isCallExpression(e) || ts.isNewExpression(e)) {
    const required = ts.isCallExpression(e) ? requireOf(e) : undefined;
    if (required) return { module: bare(required.spec), path: required.path };
    const callee = originOf(file, e.expression, depth + 1);
    return callee && { module: callee.module, path: [...callee.path, '()'] };
  }
  if (ts.isPropertyAccessExpression(e)) {
    const required = requireOf(e);
    if (required) return { module: bare(required.spec), path: required.path };
    const object = originOf(file, e.expression, depth + 1);
    return object && { module: object.module, path: [...object.path, e.name.text] };
  }
  if (ts.isIdentifier(e)) {
    const decl = declarationOf(file.checker.getSymbolAtLocation(e));
    if (!decl || decl.getSourceFile() !== file.sourceFile) return undefined;
    if (ts.isImportClause(decl) || ts.isImportSpecifier(decl) || ts.isNamespaceImport(decl)) {
      const declaration = findAncestor(decl, ts.isImportDeclaration)!;
      const spec = bare((declaration.moduleSpecifier as ts.StringLiteral).text);
      // A default import is the module's value itself (CommonJS interop), as is a namespace.
      return { module: spec, path: ts.isImportSpecifier(decl) ? [(decl.propertyName ?? decl.name).text] : [] };
    }
    if (ts.isBindingElement(decl)) {
      const declaration = findAncestor(decl, ts.isVariableDeclaration);
      const key = decl.propertyName ?? decl.name;
      if (!declaration?.initializer || !ts.isIdentifier(key)) return undefined;
      const object = originOf(file, declaration.initializer, depth + 1);
      return object && { module: object.module, path: [...object.path, key.text] };
    }
    if (ts.isVariableDeclaration(decl) && decl.initializer) return originOf(file, decl.initializer, depth + 1);
  }
  return undefined;
}

function skipOuter(e: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
    else if (ts.isAwaitExpression(e)) e = e.expression;
    else return e;
  }
}

function bare(spec: string): string {
  return spec.startsWith('node:') ? spec.slice(5) : spec;
}

/** `a.b.c` of an origin, without a leading `default` (what `import x from` gives for CommonJS). */
export function originText(origin: Origin): string {
  const path = origin.path[0] === 'default' ? origin.path.slice(1) : origin.path;
  return [origin.module, ...path].join('.');
}
