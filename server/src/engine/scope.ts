import ts from 'typescript';

/**
 * A lexical binding: one declared name. `path` is the destructuring path from the
 * declaration's initializer (or parameter) to this name: `const { a: { b } } = x` gives b the path ['a', 'b'].
 */
export interface Binding {
  name: string;
  kind: 'var' | 'let' | 'const' | 'param' | 'function' | 'class' | 'import' | 'catch';
  id: ts.Identifier;
  decl: ts.Node;
  path: Array<string | number>;
  /** Right-hand sides of later assignments (`x = …`, `x ||= …`). */
  assignments: ts.Expression[];
  /** Every identifier that reads this binding. */
  refs: ts.Identifier[];
}

type ScopeNode = ts.Node;

/**
 * Builds the scope tree of one file in two walks (declarations, then references) and resolves
 * identifiers to bindings. Deliberately small: what the data-flow needs, not a full binder.
 */
export class Scopes {
  private readonly scopes = new Map<ScopeNode, Map<string, Binding>>();
  private readonly resolved = new Map<ts.Identifier, Binding | null>();
  readonly all: Binding[] = [];
  private readonly byDeclaration = new Map<ts.Identifier, Binding>();

  constructor(readonly sf: ts.SourceFile) {
    this.declare(sf);
    this.collectRefs(sf);
  }

  resolve(id: ts.Identifier): Binding | undefined {
    const cached = this.resolved.get(id);
    if (cached !== undefined) return cached ?? undefined;
    let found: Binding | undefined;
    const name = id.text;
    for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
      const scope = this.scopes.get(n);
      const b = scope?.get(name);
      if (b) {
        // A parameter default or a function's own name must not resolve into the body: good enough here.
        found = b;
        break;
      }
    }
    this.resolved.set(id, found ?? null);
    return found;
  }

  /** The binding a declaring identifier introduces. */
  declaredBy(id: ts.Identifier): Binding | undefined {
    return this.byDeclaration.get(id);
  }

  /** The nearest function-like (or the file) that holds `node`. */
  static enclosingFunction(node: ts.Node): ts.SignatureDeclaration | ts.SourceFile {
    for (let n = node.parent; n; n = n.parent) {
      if (isFunctionScope(n)) return n as ts.SignatureDeclaration;
      if (ts.isSourceFile(n)) return n;
    }
    return node.getSourceFile();
  }

  private scopeOf(n: ScopeNode): Map<string, Binding> {
    let s = this.scopes.get(n);
    if (!s) this.scopes.set(n, (s = new Map()));
    return s;
  }

  private add(scopeNode: ScopeNode, b: Binding): void {
    const scope = this.scopeOf(scopeNode);
    const prev = scope.get(b.name);
    // `var x` declared twice is one binding; keep the first declaration, fold later initializers in.
    if (prev && (prev.kind === 'var' || prev.kind === 'function') && ts.isVariableDeclaration(b.decl) && b.decl.initializer && b.path.length === 0) {
      prev.assignments.push(b.decl.initializer);
      return;
    }
    if (!prev) {
      scope.set(b.name, b);
      this.all.push(b);
      this.byDeclaration.set(b.id, b);
    }
  }

  private declare(root: ts.Node): void {
    const visit = (node: ts.Node): void => {
      if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
      if (ts.isVariableDeclaration(node)) {
        const list = node.parent;
        const flags = ts.isVariableDeclarationList(list) ? list.flags : 0;
        const kind = flags & ts.NodeFlags.Const ? 'const' : flags & ts.NodeFlags.Let ? 'let' : flags & (ts.NodeFlags as any).Using ? 'const' : 'var';
        const scopeNode = kind === 'var' ? functionScopeOf(node) : blockScopeOf(node);
        this.declarePattern(node.name, node, kind, [], scopeNode);
      } else if (ts.isParameter(node)) {
        this.declarePattern(node.name, node, 'param', [], node.parent);
      } else if (ts.isFunctionDeclaration(node) && node.name) {
        this.add(blockScopeOf(node), mk(node.name, 'function', node, []));
      } else if (ts.isClassDeclaration(node) && node.name) {
        this.add(blockScopeOf(node), mk(node.name, 'class', node, []));
      } else if (ts.isFunctionExpression(node) && node.name) {
        this.add(node, mk(node.name, 'function', node, []));
      } else if (ts.isImportClause(node) && node.name) {
        this.add(node.getSourceFile(), mk(node.name, 'import', node, ['default']));
      } else if (ts.isNamespaceImport(node)) {
        this.add(node.getSourceFile(), mk(node.name, 'import', node, []));
      } else if (ts.isImportSpecifier(node)) {
        this.add(node.getSourceFile(), mk(node.name, 'import', node, [(node.propertyName ?? node.name).text]));
      } else if (ts.isImportEqualsDeclaration(node)) {
        this.add(node.getSourceFile(), mk(node.name, 'import', node, []));
      } else if (ts.isCatchClause(node) && node.variableDeclaration) {
        this.declarePattern(node.variableDeclaration.name, node, 'catch', [], node);
        ts.forEachChild(node.block, visit);
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(root);
  }

  private declarePattern(name: ts.BindingName, decl: ts.Node, kind: Binding['kind'], path: Array<string | number>, scopeNode: ScopeNode): void {
    if (ts.isIdentifier(name)) {
      this.add(scopeNode, mk(name, kind, decl, path));
    } else if (ts.isObjectBindingPattern(name)) {
      for (const el of name.elements) {
        const key = el.dotDotDotToken ? '*' : el.propertyName ? propertyNameText(el.propertyName) : ts.isIdentifier(el.name) ? el.name.text : '*';
        this.declarePattern(el.name, decl, kind, [...path, key ?? '*'], scopeNode);
      }
    } else {
      name.elements.forEach((el, i) => {
        if (ts.isBindingElement(el)) this.declarePattern(el.name, decl, kind, [...path, el.dotDotDotToken ? '*' : i], scopeNode);
      });
    }
  }

  private collectRefs(root: ts.Node): void {
    const visit = (node: ts.Node): void => {
      if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
      if (ts.isIdentifier(node)) {
        if (isReference(node)) {
          const b = this.resolve(node);
          if (b) b.refs.push(node);
        }
        return;
      }
      if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind) && ts.isIdentifier(skipOuter(node.left))) {
        const b = this.resolve(skipOuter(node.left) as ts.Identifier);
        if (b) b.assignments.push(node.right);
      }
      ts.forEachChild(node, visit);
    };
    visit(root);
  }
}

function mk(id: ts.Identifier, kind: Binding['kind'], decl: ts.Node, path: Array<string | number>): Binding {
  return { name: id.text, kind, id, decl, path, assignments: [], refs: [] };
}

export function isFunctionScope(n: ts.Node): boolean {
  return (
    ts.isFunctionDeclaration(n) ||
    ts.isFunctionExpression(n) ||
    ts.isArrowFunction(n) ||
    ts.isMethodDeclaration(n) ||
    ts.isConstructorDeclaration(n) ||
    ts.isGetAccessorDeclaration(n) ||
    ts.isSetAccessorDeclaration(n)
  );
}

function functionScopeOf(node: ts.Node): ScopeNode {
  for (let n = node.parent; n; n = n.parent) if (isFunctionScope(n) || ts.isSourceFile(n) || ts.isModuleBlock(n)) return n;
  return node.getSourceFile();
}

function blockScopeOf(node: ts.Node): ScopeNode {
  for (let n = node.parent; n; n = n.parent) {
    if (isFunctionScope(n) || ts.isSourceFile(n) || ts.isModuleBlock(n) || ts.isCaseBlock(n)) return n;
    if (ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n)) return n;
    // A function's body block shares the function's scope (parameters and top-level lets live together).
    if (ts.isBlock(n) && !(n.parent && isFunctionScope(n.parent))) return n;
  }
  return node.getSourceFile();
}

export function propertyNameText(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

export function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.EqualsToken ||
    kind === ts.SyntaxKind.BarBarEqualsToken ||
    kind === ts.SyntaxKind.QuestionQuestionEqualsToken ||
    kind === ts.SyntaxKind.AmpersandAmpersandEqualsToken
  );
}

/** Strips parentheses, type assertions and non-null assertions. */
export function skipOuter(e: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
    else return e;
  }
}

function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p) || ts.isPropertySignature(p)) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p) || ts.isClassDeclaration(p) || ts.isClassExpression(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && (p.name === id || p.propertyName === id)) return false;
  if (ts.isImportClause(p) || ts.isImportSpecifier(p) || ts.isNamespaceImport(p) || ts.isImportEqualsDeclaration(p)) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  if (ts.isExportSpecifier(p) && p.name === id && p.propertyName) return false;
  if (ts.isJsxAttribute(p) || ts.isEnumMember(p)) return false;
  return true;
}
