/**
 * What a module-level name of the user's code is, and what copying it into the harness takes.
 *
 * The harness never runs the user's modules (their top level may start servers, open databases,
 * read configuration): it copies the declarations the transfer needs — functions, classes, and
 * constants computed without calling anything but pure built-ins — each module's in a scope of
 * its own, and imports what the module imports (Node's built-ins, and packages from where the
 * user's file would load them). Anything else is "unbindable", with the reason.
 */
import { createRequire, isBuiltin } from 'node:module';
import { dirname, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { bindFile, hasExportModifier, lineOf, type BoundFile } from './program';
import { declarationOf, referencesIn } from './references';

export type Outcome = { ok: true } | { ok: false; reason: string };
const OK: Outcome = { ok: true };
const no = (reason: string): Outcome => ({ ok: false, reason });

/** How a module-level import binding is made in the harness. */
export type ImportNeed =
  | { kind: 'require'; spec: string; path: string[] }
  | { kind: 'import'; url: string; path: string[] }
  | { kind: 'module'; fileName: string; path: string[] }
  /** `zerocopy` itself: always the runtime bundled with this tool, installed in the workspace or not. */
  | { kind: 'runtime'; path: string[] };

/** A declaration copied as is, or an exported expression copied as `const name = expression`. */
export interface Copied {
  node: ts.Node;
  as?: string;
}

export interface ModuleNeeds {
  file: BoundFile;
  imports: Map<string, ImportNeed>;
  copied: Map<number, Copied>;
  /** What the module's scope hands to other modules: export name -> local name. */
  exports: Map<string, string>;
  usesRequire: boolean;
}

/** Node's globals as this process has them, plus what every CommonJS module has. */
const GLOBALS = new Set([...Object.getOwnPropertyNames(globalThis), 'require', '__dirname', '__filename', 'undefined', 'NaN', 'Infinity', 'arguments']);

/** Calls that compute a value and do nothing else: module constants made with them are copied. */
const PURE_GLOBAL_CALLS = new Set([
  'Number', 'String', 'Boolean', 'BigInt', 'Symbol', 'Symbol.for', 'parseInt', 'parseFloat', 'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI',
  'JSON.parse', 'JSON.stringify', 'Object.freeze', 'Object.assign', 'Object.keys', 'Object.values', 'Object.entries', 'Object.fromEntries', 'Object.create',
  'Array.from', 'Array.of', 'Array.isArray', 'Buffer.from', 'Buffer.alloc', 'Buffer.byteLength', 'Buffer.concat', 'process.cwd',
  'Map', 'Set', 'WeakMap', 'WeakSet', 'URL', 'URLSearchParams', 'Date', 'RegExp', 'Array', 'Error', 'TextEncoder', 'TextDecoder',
]);
/** Built-in modules whose functions only compute. */
const PURE_MODULES = new Set(['path', 'url', 'util', 'querystring', 'node:path', 'node:url', 'node:util', 'node:querystring', 'path/posix', 'node:path/posix']);

/** The runtime the fixes import; the harness gives them the one this tool ships. */
export const RUNTIME_PACKAGE = 'zerocopy';

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export class ModuleGraph {
  readonly modules = new Map<string, ModuleNeeds>();
  private readonly bound = new Map<string, BoundFile>();
  private readonly outcomes = new Map<string, Outcome>();

  constructor(
    private readonly getText: (fileName: string) => string | undefined,
    /** Code the slice removed (dropped statements, bound expressions): names there are not needed. */
    readonly removed: (file: BoundFile, node: ts.Node) => boolean,
    /** How messages name files. */
    readonly display: (fileName: string) => string = shortName,
  ) {}

  file(fileName: string): BoundFile | undefined {
    let file = this.bound.get(fileName);
    if (!file) {
      const text = this.getText(fileName);
      if (text === undefined) return undefined;
      file = bindFile(fileName, text);
      this.bound.set(fileName, file);
    }
    return file;
  }

  needs(file: BoundFile): ModuleNeeds {
    let needs = this.modules.get(file.fileName);
    if (!needs) {
      needs = { file, imports: new Map(), copied: new Map(), exports: new Map(), usesRequire: false };
      this.modules.set(file.fileName, needs);
    }
    return needs;
  }

  /**
   * Whether every name `root` reads from outside itself can be had in the harness (recording what
   * that takes), with `isLocal` deciding which declarations count as inside.
   */
  resolveAll(file: BoundFile, root: ts.Node, isLocal: (decl: ts.Node) => boolean, skip: (node: ts.Node) => boolean = () => false): Outcome {
    for (const ref of referencesIn(root, file.checker, (n) => skip(n) || this.removed(file, n))) {
      const outcome = this.resolveReference(file, ref.id, ref.symbol, isLocal);
      if (!outcome.ok) return outcome;
    }
    return OK;
  }

  resolveReference(file: BoundFile, id: ts.Identifier, symbol: ts.Symbol | undefined, isLocal: (decl: ts.Node) => boolean): Outcome {
    const decl = declarationOf(symbol);
    if (!decl || decl.getSourceFile() !== file.sourceFile || isJsSpecial(decl)) {
      const name = id.text;
      if (name === 'module' || name === 'exports') return no(`uses \`${name}\`, the module object, which the benchmark does not run`);
      if (name === 'require') this.needs(file).usesRequire = true;
      if (GLOBALS.has(name)) return OK;
      return no(`\`${name}\` is not defined in ${this.display(file.fileName)}`);
    }
    if (isLocal(decl)) return OK;
    const top = topLevelStatement(decl);
    if (!top) {
      const outer = enclosingFunctionName(decl);
      return no(`\`${id.text}\` is a variable of ${outer}, which the benchmark does not run`);
    }
    const member = ts.isPropertyAccessExpression(id.parent) && id.parent.expression === id ? id.parent.name.text : undefined;
    return this.resolveTopLevel(file, id.text, decl, member);
  }

  /** A name declared at the top of `file`: an import, a function, a class or a constant. */
  resolveTopLevel(file: BoundFile, localName: string, decl: ts.Node, member?: string): Outcome {
    const key = `${file.fileName}\0${decl.pos}\0${localName}\0${member ?? ''}`;
    const known = this.outcomes.get(key);
    if (known) return known;
    this.outcomes.set(key, OK); // recursion (functions calling each other) is fine: declarations are hoisted
    const outcome = this.resolveTopLevelUncached(file, localName, decl, member);
    this.outcomes.set(key, outcome);
    return outcome;
  }

  private resolveTopLevelUncached(file: BoundFile, localName: string, decl: ts.Node, member: string | undefined): Outcome {
    const needs = this.needs(file);
    const at = `${this.display(file.fileName)}:${lineOf(file, decl.getStart(file.sourceFile))}`;
    if (ts.isImportClause(decl) || ts.isImportSpecifier(decl) || ts.isNamespaceImport(decl)) {
      const declaration = findAncestor(decl, ts.isImportDeclaration)!;
      const spec = (declaration.moduleSpecifier as ts.StringLiteral).text;
      const path = ts.isImportClause(decl) ? ['default'] : ts.isImportSpecifier(decl) ? [(decl.propertyName ?? decl.name).text] : [];
      return this.resolveModuleBinding(file, localName, spec, path, 'import', member);
    }
    if (ts.isImportEqualsDeclaration(decl) && ts.isExternalModuleReference(decl.moduleReference) && ts.isStringLiteral(decl.moduleReference.expression)) {
      return this.resolveModuleBinding(file, localName, decl.moduleReference.expression.text, [], 'require', member);
    }
    if (ts.isVariableDeclaration(decl) || ts.isBindingElement(decl)) {
      const declaration = ts.isVariableDeclaration(decl) ? decl : findAncestor(decl, ts.isVariableDeclaration)!;
      const required = requireOf(declaration.initializer);
      if (required) {
        const path = [...required.path, ...bindingPath(decl)];
        return this.resolveModuleBinding(file, localName, required.spec, path, 'require', member);
      }
      if (!declaration.initializer) return no(`\`${localName}\` (${at}) is declared without a value; it gets one when the program runs, which the benchmark does not do`);
      const impure = impureCall(declaration.initializer, file);
      if (impure) return no(`\`${localName}\` (${at}) is computed when its module loads, by calling \`${impure}\`, which the benchmark does not run`);
      const inner = this.resolveAll(file, declaration, (d) => contains(declaration, d));
      if (!inner.ok) return no(`\`${localName}\` (${at}) needs ${inner.reason}`);
      needs.copied.set(declaration.pos, { node: declaration });
      return OK;
    }
    if (ts.isFunctionDeclaration(decl) || ts.isClassDeclaration(decl) || ts.isEnumDeclaration(decl)) {
      const inner = this.resolveAll(file, decl, (d) => contains(decl, d));
      if (!inner.ok) return no(`\`${localName}\` (${at}) uses ${inner.reason}`);
      needs.copied.set(decl.pos, { node: decl });
      return OK;
    }
    return no(`\`${localName}\` (${at}) is not a function, class or constant the benchmark can copy`);
  }

  /** An import binding: a built-in, a package installed where the file can load it, or another file of the project (copied). */
  private resolveModuleBinding(file: BoundFile, localName: string, spec: string, path: string[], style: 'require' | 'import', member: string | undefined): Outcome {
    const needs = this.needs(file);
    if (isBuiltin(spec)) {
      needs.imports.set(localName, style === 'require' ? { kind: 'require', spec, path } : { kind: 'import', url: spec, path });
      if (style === 'require') needs.usesRequire = true;
      return OK;
    }
    if (spec.startsWith('.') || spec.startsWith('/')) {
      const target = this.resolveRelative(file.fileName, spec);
      if (!target) return no(`\`${spec}\` (imported by ${this.display(file.fileName)}) cannot be found`);
      // A whole CommonJS module imported as a default, or a namespace: what the code takes from it.
      const exportPath = path[0] === 'default' && target.commonJs ? path.slice(1) : path;
      if (exportPath.length === 0) {
        const whole = findExport(target, 'module.exports');
        if (whole) return this.resolveExported(file, target, localName, 'module.exports', whole, []);
        if (member === undefined) return no(`\`${localName}\` is the whole module ${spec}, which the benchmark does not run`);
        const exported = findExport(target, member);
        if (!exported) return no(`\`${member}\` is not exported by ${spec}`);
        return this.resolveExported(file, target, localName, member, exported, undefined);
      }
      const exported = findExport(target, exportPath[0]!);
      if (!exported) return no(`\`${exportPath[0]}\` is not exported by ${spec}`);
      return this.resolveExported(file, target, localName, exportPath[0]!, exported, exportPath.slice(1));
    }
    if (spec === RUNTIME_PACKAGE) {
      needs.imports.set(localName, { kind: 'runtime', path });
      return OK;
    }
    let resolved: string;
    try {
      resolved = createRequire(file.fileName).resolve(spec);
    } catch {
      return no(`the package \`${spec}\` is not installed where ${this.display(file.fileName)} would load it`);
    }
    if (style === 'require') {
      needs.usesRequire = true;
      needs.imports.set(localName, { kind: 'require', spec, path });
    } else {
      needs.imports.set(localName, { kind: 'import', url: pathToFileURL(resolved).href, path });
    }
    return OK;
  }

  /**
   * An export of another file of the project, copied into that file's scope. `rest` is the
   * property path taken from it; undefined when the code uses the module as a namespace
   * (`store.openMedia`), whose scope object then stands for the module.
   */
  private resolveExported(file: BoundFile, target: BoundFile, localName: string, exportName: string, exported: ExportFound, rest: string[] | undefined): Outcome {
    let local: string;
    let outcome: Outcome;
    if (exported.kind === 'reexport') {
      local = `__zcReexport_${exportName.replace(/\W/g, '_')}`;
      outcome = this.resolveModuleBinding(target, local, exported.spec, [exported.name], 'import', undefined);
    } else if (exported.kind === 'expression') {
      local = exportName === 'module.exports' ? '__zcModuleExports' : `__zcExport_${exportName.replace(/\W/g, '_')}`;
      const inner = this.resolveAll(target, exported.node, (d) => contains(exported.node, d));
      outcome = inner.ok ? inner : no(`\`${exportName}\` of ${this.display(target.fileName)} uses ${inner.reason}`);
      if (inner.ok) this.needs(target).copied.set(exported.node.pos, { node: exported.node, as: local });
    } else {
      local = exported.local;
      outcome = this.resolveTopLevel(target, local, exported.node);
    }
    if (!outcome.ok) return outcome;
    this.needs(target).exports.set(exportName, local);
    this.needs(file).imports.set(localName, { kind: 'module', fileName: target.fileName, path: rest === undefined ? [] : [exportName, ...rest] });
    return OK;
  }

  resolveRelative(from: string, spec: string): BoundFile | undefined {
    const base = resolvePath(dirname(from), spec);
    const stem = base.replace(/\.(c|m)?js$/, '');
    const candidates = [base, ...SOURCE_EXTENSIONS.map((e) => stem + e), ...SOURCE_EXTENSIONS.map((e) => `${base}/index${e}`)];
    for (const candidate of candidates) {
      const file = this.file(candidate);
      if (file) return file;
    }
    return undefined;
  }
}

type ExportFound = { kind: 'declaration'; node: ts.Node; local: string } | { kind: 'expression'; node: ts.Expression } | { kind: 'reexport'; spec: string; name: string };

/** What `name` is among the exports of `file` (`module.exports` for a module that is one value). */
function findExport(file: BoundFile, name: string): ExportFound | undefined {
  const sf = file.sourceFile;
  const localDeclaration = (local: string): ts.Node | undefined => {
    for (const s of sf.statements) {
      if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name?.text === local) return s.name ? s : undefined;
      if (ts.isVariableStatement(s)) {
        for (const d of s.declarationList.declarations) {
          const found = declaredName(d.name, local);
          if (found) return found;
        }
      }
      if (ts.isImportDeclaration(s) && s.importClause) {
        const c = s.importClause;
        if (c.name?.text === local) return c;
        if (c.namedBindings && ts.isNamespaceImport(c.namedBindings) && c.namedBindings.name.text === local) return c.namedBindings;
        if (c.namedBindings && ts.isNamedImports(c.namedBindings)) for (const e of c.namedBindings.elements) if (e.name.text === local) return e;
      }
    }
    return undefined;
  };
  const fromIdentifier = (expression: ts.Expression): ExportFound => {
    if (ts.isIdentifier(expression)) {
      const node = localDeclaration(expression.text);
      if (node) return { kind: 'declaration', node, local: expression.text };
    }
    return { kind: 'expression', node: expression };
  };
  for (const s of sf.statements) {
    // ESM
    if (hasExportModifier(s)) {
      const isDefault = (ts.getModifiers(s as ts.HasModifiers) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && ((isDefault && name === 'default') || s.name?.text === name) && s.name) return { kind: 'declaration', node: s, local: s.name.text };
      if (ts.isVariableStatement(s)) {
        for (const d of s.declarationList.declarations) {
          const found = declaredName(d.name, name);
          if (found) return { kind: 'declaration', node: found, local: name };
        }
      }
    }
    if (ts.isExportAssignment(s) && !s.isExportEquals && name === 'default') return fromIdentifier(s.expression);
    if (ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause)) {
      for (const e of s.exportClause.elements) {
        if (e.name.text !== name) continue;
        const local = (e.propertyName ?? e.name).text;
        if (s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier)) return { kind: 'reexport', spec: s.moduleSpecifier.text, name: local };
        const node = localDeclaration(local);
        if (node) return { kind: 'declaration', node, local };
      }
    }
    // CommonJS
    if (ts.isExpressionStatement(s) && ts.isBinaryExpression(s.expression) && s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = s.expression.left;
      const right = s.expression.right;
      if (isModuleExports(left)) {
        if (name === 'module.exports' && !ts.isObjectLiteralExpression(right)) return fromIdentifier(right);
        if (ts.isObjectLiteralExpression(right)) {
          for (const p of right.properties) {
            if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return fromIdentifier(p.name);
            if (ts.isPropertyAssignment(p) && propertyNameText(p.name) === name) return fromIdentifier(p.initializer);
            if (ts.isMethodDeclaration(p) && propertyNameText(p.name) === name) return undefined;
          }
        }
      }
      if (ts.isPropertyAccessExpression(left) && left.name.text === name && (isModuleExports(left.expression) || (ts.isIdentifier(left.expression) && left.expression.text === 'exports'))) {
        return fromIdentifier(right);
      }
    }
  }
  return undefined;
}

function isModuleExports(node: ts.Node): boolean {
  return ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'module' && node.name.text === 'exports';
}

function propertyNameText(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

function declaredName(name: ts.BindingName, wanted: string): ts.Node | undefined {
  if (ts.isIdentifier(name)) return name.text === wanted ? name.parent : undefined;
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue;
    const found = declaredName(element.name, wanted);
    if (found) return found;
  }
  return undefined;
}

/** `require('x')`, `require('x').a.b`: the specifier and the property path. */
export function requireOf(expression: ts.Expression | undefined): { spec: string; path: string[] } | undefined {
  const path: string[] = [];
  let e = expression;
  while (e && ts.isPropertyAccessExpression(e)) {
    path.unshift(e.name.text);
    e = e.expression;
  }
  if (e && ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1 && ts.isStringLiteralLike(e.arguments[0]!)) {
    return { spec: e.arguments[0].text, path };
  }
  return undefined;
}

/** The property path of a destructured name: `const { a: { b } } = x` gives ['a', 'b'] for `b`. */
function bindingPath(decl: ts.Node): string[] {
  const path: string[] = [];
  let node: ts.Node = decl;
  while (ts.isBindingElement(node)) {
    const key = node.propertyName ?? node.name;
    if (ts.isIdentifier(key) || ts.isStringLiteral(key)) path.unshift(key.text);
    node = node.parent.parent; // element -> pattern -> element or declaration
  }
  return path;
}

/** The first call in `expression` that may do more than compute a value, as text; undefined when there is none. */
function impureCall(expression: ts.Node, file: BoundFile): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return; // defining a function runs nothing
    if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isTaggedTemplateExpression(node)) {
      const callee = ts.isTaggedTemplateExpression(node) ? node.tag : node.expression;
      if (!isPureCallee(callee, file)) {
        found = callee.getText(file.sourceFile);
        return;
      }
    }
    if (ts.isAwaitExpression(node) || ts.isYieldExpression(node) || ts.isDeleteExpression(node)) {
      found = node.getText(file.sourceFile).split('(')[0]!;
      return;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      found = node.getText(file.sourceFile);
      return;
    }
    node.forEachChild(visit);
  };
  visit(expression);
  return found;
}

function isPureCallee(callee: ts.Expression, file: BoundFile): boolean {
  const text = callee.getText(file.sourceFile);
  if (PURE_GLOBAL_CALLS.has(text) || /^Math\.\w+$/.test(text)) return true;
  // A function of a pure built-in module: `path.join`, `join` imported from 'node:path', `url.fileURLToPath`.
  const root = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
  if (!ts.isIdentifier(root)) return false;
  const decl = declarationOf(file.checker.getSymbolAtLocation(root));
  if (!decl) return false;
  const spec = moduleSpecifierOf(decl);
  return spec !== undefined && PURE_MODULES.has(spec);
}

function moduleSpecifierOf(decl: ts.Node): string | undefined {
  const importDeclaration = findAncestor(decl, ts.isImportDeclaration);
  if (importDeclaration && ts.isStringLiteral(importDeclaration.moduleSpecifier)) return importDeclaration.moduleSpecifier.text;
  const variable = ts.isVariableDeclaration(decl) ? decl : findAncestor(decl, ts.isVariableDeclaration);
  return requireOf(variable?.initializer)?.spec;
}

/** JS files give `module`/`exports`/`require` symbols of their own; they are not declarations of the code. */
function isJsSpecial(decl: ts.Node): boolean {
  return ts.isSourceFile(decl) || ts.isBinaryExpression(decl) || ts.isPropertyAccessExpression(decl) || ts.isExpressionStatement(decl);
}

export function topLevelStatement(node: ts.Node): ts.Statement | undefined {
  let n: ts.Node = node;
  while (n.parent && !ts.isSourceFile(n.parent)) {
    if (ts.isFunctionLike(n.parent) || ts.isClassLike(n.parent) || ts.isBlock(n.parent) || ts.isCaseClause(n.parent)) return undefined;
    n = n.parent;
  }
  return n.parent ? (n as ts.Statement) : undefined;
}

function enclosingFunctionName(node: ts.Node): string {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) {
      const name = (n as { name?: ts.Node }).name;
      return name && ts.isIdentifier(name) ? `the enclosing function \`${name.text}\`` : 'an enclosing function';
    }
  }
  return 'an enclosing block';
}

export function findAncestor<T extends ts.Node>(node: ts.Node, test: (n: ts.Node) => n is T): T | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (test(n)) return n;
  return undefined;
}

export function contains(outer: ts.Node, inner: ts.Node): boolean {
  return outer.pos <= inner.pos && inner.end <= outer.end;
}

export function shortName(fileName: string): string {
  const parts = fileName.split(/[\\/]/);
  return parts.slice(-2).join('/');
}
