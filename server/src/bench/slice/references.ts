/**
 * The names a piece of code reads from outside itself: every identifier in a value position,
 * with what it refers to. Types, property names and declarations are not references.
 */
import ts from 'typescript';

export interface Reference {
  id: ts.Identifier;
  /** The symbol the name refers to; undefined for globals (the checker has no lib). */
  symbol: ts.Symbol | undefined;
}

function isValueReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p)) return false;
  if (
    (ts.isPropertyAssignment(p) ||
      ts.isMethodDeclaration(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isGetAccessorDeclaration(p) ||
      ts.isSetAccessorDeclaration(p) ||
      ts.isPropertySignature(p) ||
      ts.isEnumMember(p) ||
      ts.isVariableDeclaration(p) ||
      ts.isParameter(p) ||
      ts.isFunctionDeclaration(p) ||
      ts.isFunctionExpression(p) ||
      ts.isClassDeclaration(p) ||
      ts.isClassExpression(p) ||
      ts.isEnumDeclaration(p) ||
      ts.isImportClause(p) ||
      ts.isNamespaceImport(p) ||
      ts.isImportEqualsDeclaration(p)) &&
    (p as { name?: ts.Node }).name === id
  ) {
    return false;
  }
  if (ts.isBindingElement(p)) return false; // a declared name, or the property it is taken from
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakStatement(p) || ts.isContinueStatement(p)) return false;
  if (ts.isMetaProperty(p)) return false;
  if (ts.isJsxAttribute(p)) return false;
  return true;
}

/**
 * The value references under `root`, skipping subtrees for which `skip` says so (code the slice
 * removed), type annotations, and type-only declarations.
 */
export function referencesIn(root: ts.Node, checker: ts.TypeChecker, skip: (node: ts.Node) => boolean = () => false): Reference[] {
  const out: Reference[] = [];
  const visit = (node: ts.Node): void => {
    if (skip(node)) return;
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isHeritageClause(node)) return;
    if (ts.isIdentifier(node)) {
      if (isValueReference(node)) {
        const symbol = ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node ? checker.getShorthandAssignmentValueSymbol(node.parent) : checker.getSymbolAtLocation(node);
        out.push({ id: node, symbol });
      }
      return;
    }
    node.forEachChild(visit);
  };
  visit(root);
  return out;
}

/** `this` used under `root` outside nested non-arrow functions and classes of its own: the code needs an object it is a method of. */
export function usesThis(root: ts.Node): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node, top: boolean): void => {
    if (found) return;
    if (!top && (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isClassLike(node) || ts.isMethodDeclaration(node))) return;
    if (node.kind === ts.SyntaxKind.ThisKeyword || node.kind === ts.SyntaxKind.SuperKeyword) {
      found = node;
      return;
    }
    node.forEachChild((child) => visit(child, false));
  };
  visit(root, true);
  return found;
}

/** The declaration a symbol stands for (the first; aliases in JS files are their variable). */
export function declarationOf(symbol: ts.Symbol | undefined): ts.Declaration | undefined {
  return symbol?.declarations?.[0] ?? symbol?.valueDeclaration;
}
