/**
 * One parsed, bound file of the user's code: its syntax tree and a type checker that only resolves
 * names (no lib, no module resolution), which is all the slicer asks of it — what each identifier
 * refers to, with shadowing, hoisting and destructuring handled by TypeScript itself.
 */
import ts from 'typescript';
import { scriptKindOf, singleFileProgram } from '../../engine/parse';

export interface BoundFile {
  fileName: string;
  text: string;
  sourceFile: ts.SourceFile;
  checker: ts.TypeChecker;
  /** `require`/`module.exports` style rather than `import`/`export`. */
  commonJs: boolean;
}

const OPTIONS: ts.CompilerOptions = {
  noLib: true,
  noResolve: true,
  allowJs: true,
  checkJs: false,
  noEmit: true,
  types: [],
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  jsx: ts.JsxEmit.Preserve,
};

export function bindFile(fileName: string, text: string): BoundFile {
  const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(fileName));
  const program = singleFileProgram(sourceFile, OPTIONS);
  const checker = program.getTypeChecker();
  const commonJs = !sourceFile.statements.some((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s) || hasExportModifier(s)) && /\brequire\s*\(/.test(text);
  return { fileName, text, sourceFile, checker, commonJs };
}

export function hasExportModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** The innermost node of `sourceFile` that spans exactly [start, end), or the innermost containing it. */
export function nodeAt(sourceFile: ts.SourceFile, start: number, end: number): ts.Node | undefined {
  let best: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(sourceFile) <= start && end <= node.getEnd()) {
      best = node;
      node.forEachChild(visit);
    }
  };
  sourceFile.forEachChild(visit);
  return best;
}

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isConstructorDeclaration(node)
  );
}

export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunctionLike(n)) return n;
  return undefined;
}

export function contains(outer: ts.Node, inner: ts.Node): boolean {
  return outer.pos <= inner.pos && inner.end <= outer.end && outer.getSourceFile() === inner.getSourceFile();
}

/** A statement's text on one line, shortened: what the report shows of a dropped statement. */
export function oneLine(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function lineOf(file: BoundFile, position: number): number {
  return file.sourceFile.getLineAndCharacterOfPosition(position).line + 1;
}
