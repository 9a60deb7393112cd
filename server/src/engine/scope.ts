import ts from 'typescript';

/**
 * A lexical binding: one declared name. `path` is the destructuring path from the
 * declaration's initializer (or parameter) to this name: `const { a: { b } } = x` gives b the path ['a', 'b'].
 */
export interface DestructuredAssignment {
  id: ts.Identifier;
  rhs: ts.Expression;
  path: Array<string | number>;
}

/** The identifiers an assignment pattern writes, with their paths (`[a, { b }] = …`: a at [0], b at [1, 'b']); at most 3 deep. */
function destructuredTargets(pattern: ts.Expression, path: Array<string | number>, out: Array<{ id: ts.Identifier; path: Array<string | number> }> = []): Array<{ id: ts.Identifier; path: Array<string | number> }> {
  pattern = skipOuter(pattern);
  // `[a = fallback] = …`: the default stands only when the value is undefined.
  if (ts.isBinaryExpression(pattern) && pattern.operatorToken.kind === ts.SyntaxKind.EqualsToken) pattern = skipOuter(pattern.left);
  if (ts.isIdentifier(pattern)) out.push({ id: pattern, path });
  else if (path.length >= 3) return out;
  else if (ts.isArrayLiteralExpression(pattern)) pattern.elements.forEach((e, i) => void (!ts.isSpreadElement(e) && !ts.isOmittedExpression(e) && destructuredTargets(e, [...path, i], out)));
  else if (ts.isObjectLiteralExpression(pattern)) {
    for (const p of pattern.properties) {
      if (ts.isShorthandPropertyAssignment(p)) out.push({ id: p.name, path: [...path, p.name.text] });
      else if (ts.isPropertyAssignment(p)) {
        const key = propertyNameText(p.name);
        if (key !== undefined) destructuredTargets(p.initializer, [...path, key], out);
      }
    }
  }
  return out;
}

export interface Binding {
  name: string;
  kind: 'var' | 'let' | 'const' | 'param' | 'function' | 'class' | 'import' | 'catch';
  id: ts.Identifier;
  decl: ts.Node;
  /** The node whose scope declares it: references can only be below it. */
  scope?: ts.Node;
  path: Array<string | number>;
  /** Initializers of later redeclarations (`var x = …` twice). */
  inits: ts.Expression[];
}

type ScopeNode = ts.Node;

/**
 * Builds the scope tree of one file in two walks (declarations, then references) and resolves
 * identifiers to bindings. Deliberately small: what the data-flow needs, not a full binder.
 */
/**
 * The items of `sorted` (ordered by the `pos` of their node) whose node lies inside `span`, found
 * by binary search rather than a pass over every item.
 */
export function itemsWithin<T>(sorted: readonly T[], nodeOf: (item: T) => ts.Node, span: ts.Node): T[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (nodeOf(sorted[mid]!).pos < span.pos) lo = mid + 1;
    else hi = mid;
  }
  const out: T[] = [];
  for (let i = lo; i < sorted.length && nodeOf(sorted[i]!).pos < span.end; i++) if (nodeOf(sorted[i]!).end <= span.end) out.push(sorted[i]!);
  return out;
}

export class Scopes {
  private readonly scopes = new Map<ScopeNode, Map<string, Binding>>();
  private readonly resolved = new Map<ts.Identifier, Binding | null>();
  private readonly byDeclaration = new Map<ts.Identifier, Binding>();
  private readonly assignsByName = new Map<string, ts.BinaryExpression[]>();
  /** `[a, b] = rhs`, `({ a } = rhs)`: each target identifier with the path it takes from `rhs`. */
  private readonly destructuredByName = new Map<string, DestructuredAssignment[]>();
  private readonly destructuredMemo = new Map<Binding, DestructuredAssignment[]>();
  private readonly destructuredResolved = new Set<string>();
  /**
   * References and later assignments by the binding they resolve to, filled for all the bindings
   * of a name at once (`namesResolved`): a name bound in many scopes (a bundle's `e`, `t`, a
   * generated file's repeated modules) is resolved once, not once per binding.
   */
  private readonly refsMemo = new Map<Binding, ts.Identifier[]>();
  private readonly assignsMemo = new Map<Binding, ts.Expression[]>();
  private readonly namesResolved = { refs: new Set<string>(), assigns: new Set<string>() };
  private idsByName?: Map<string, ts.Identifier[]>;
  readonly all: Binding[] = [];
  /** Every call and `new` of the tree, in source order (a pre-order walk: by `pos`). */
  readonly calls: Array<ts.CallExpression | ts.NewExpression> = [];

  /** The calls inside `node` (its own span), found by binary search rather than a pass over every call of the file. */
  callsWithin(node: ts.Node): Array<ts.CallExpression | ts.NewExpression> {
    return itemsWithin(this.calls, (c) => c, node);
  }
  /** Assignments to a property or element (`ctx.body = …`, `cache[k] = …`). */
  readonly memberAssignments: ts.BinaryExpression[] = [];
  readonly functions: ts.Node[] = [];

  /** One walk over the file: declarations, plus an index of the rest for lazy resolution. */
  constructor(readonly sf: ts.SourceFile) {
    this.walk(sf);
    // A pre-order walk meets calls by position; callsWithin relies on it, so make sure.
    for (let i = 1; i < this.calls.length; i++) {
      if (this.calls[i]!.pos < this.calls[i - 1]!.pos) {
        this.calls.sort((a, b) => a.pos - b.pos);
        break;
      }
    }
  }

  resolve(id: ts.Identifier): Binding | undefined {
    const cached = this.resolved.get(id);
    if (cached !== undefined) return cached ?? undefined;
    let found: Binding | undefined;
    const name = id.text;
    for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
      const b = this.scopes.get(n)?.get(name);
      if (b) {
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

  /** Every identifier that reads this binding. The name index is built on first use only. */
  refsOf(b: Binding): ts.Identifier[] {
    if (this.namesResolved.refs.has(b.name)) return this.refsMemo.get(b) ?? [];
    if (!this.idsByName) {
      const index = new Map<string, ts.Identifier[]>();
      const visit = (n: ts.Node): void => {
        if (n.kind === ts.SyntaxKind.Identifier) {
          const id = n as ts.Identifier;
          if (isReference(id)) {
            const list = index.get(id.text);
            if (list) list.push(id);
            else index.set(id.text, [id]);
          }
          return;
        }
        if (n.kind >= ts.SyntaxKind.FirstTypeNode && n.kind <= ts.SyntaxKind.LastTypeNode) return;
        ts.forEachChild(n, visit);
      };
      visit(this.sf);
      this.idsByName = index;
    }
    for (const id of this.idsByName.get(b.name) ?? []) {
      const target = this.resolve(id);
      if (target) append(this.refsMemo, target, id);
    }
    this.namesResolved.refs.add(b.name);
    return this.refsMemo.get(b) ?? [];
  }

  /** Right-hand sides of later assignments (`x = …`, `x ||= …`, `x += …`) and redeclarations. */
  assignmentsOf(b: Binding): ts.Expression[] {
    if (!this.namesResolved.assigns.has(b.name)) {
      for (const a of this.assignsByName.get(b.name) ?? []) {
        const target = this.resolve(skipOuter(a.left) as ts.Identifier);
        if (target) append(this.assignsMemo, target, a.right);
      }
      this.namesResolved.assigns.add(b.name);
    }
    return [...b.inits, ...(this.assignsMemo.get(b) ?? [])];
  }

  /** Destructuring assignments to an existing binding (`[stream, headers] = await open(p)`): the right-hand side and the path taken from it. */
  destructuredAssignmentsOf(b: Binding): readonly DestructuredAssignment[] {
    if (!this.destructuredResolved.has(b.name)) {
      for (const a of this.destructuredByName.get(b.name) ?? []) {
        const target = this.resolve(a.id);
        if (target) append(this.destructuredMemo, target, a);
      }
      this.destructuredResolved.add(b.name);
    }
    return this.destructuredMemo.get(b) ?? [];
  }

  /** Every `x = …` (and `x ||= …`, `x += …`) with a plain identifier on the left. */
  *identifierAssignments(): Iterable<ts.BinaryExpression> {
    for (const list of this.assignsByName.values()) yield* list;
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
      prev.inits.push(b.decl.initializer);
      return;
    }
    if (!prev) {
      b.scope = scopeNode;
      scope.set(b.name, b);
      this.all.push(b);
      this.byDeclaration.set(b.id, b);
    }
  }

  private index<T>(map: Map<string, T[]>, name: string, item: T): void {
    const list = map.get(name);
    if (list) list.push(item);
    else map.set(name, [item]);
  }

  private walk(root: ts.Node): void {
    const visit = (node: ts.Node): void => {
      switch (node.kind) {
        case ts.SyntaxKind.Identifier:
          return;
        case ts.SyntaxKind.CallExpression:
        case ts.SyntaxKind.NewExpression:
          this.calls.push(node as ts.CallExpression);
          break;
        case ts.SyntaxKind.BinaryExpression: {
          const bin = node as ts.BinaryExpression;
          if (isAssignmentOperator(bin.operatorToken.kind)) {
            const left = skipOuter(bin.left);
            if (ts.isIdentifier(left)) this.index(this.assignsByName, left.text, bin);
            else if (bin.operatorToken.kind === ts.SyntaxKind.EqualsToken && (ts.isArrayLiteralExpression(left) || ts.isObjectLiteralExpression(left))) {
              for (const t of destructuredTargets(left, [])) this.index(this.destructuredByName, t.id.text, { id: t.id, rhs: bin.right, path: t.path });
            }
            else if (ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) this.memberAssignments.push(bin);
          }
          break;
        }
        case ts.SyntaxKind.VariableDeclaration: {
          const d = node as ts.VariableDeclaration;
          const list = d.parent;
          const flags = ts.isVariableDeclarationList(list) ? list.flags : 0;
          const kind = flags & ts.NodeFlags.Const ? 'const' : flags & ts.NodeFlags.Let ? 'let' : flags & (ts.NodeFlags as any).Using ? 'const' : 'var';
          this.declarePattern(d.name, d, kind, [], kind === 'var' ? functionScopeOf(d) : blockScopeOf(d));
          break;
        }
        case ts.SyntaxKind.Parameter: {
          const p = node as ts.ParameterDeclaration;
          this.declarePattern(p.name, p, 'param', [], p.parent);
          break;
        }
        case ts.SyntaxKind.FunctionDeclaration: {
          const f = node as ts.FunctionDeclaration;
          if (f.name) this.add(blockScopeOf(f), mk(f.name, 'function', f, []));
          this.functions.push(f);
          break;
        }
        case ts.SyntaxKind.FunctionExpression: {
          const f = node as ts.FunctionExpression;
          if (f.name) this.add(f, mk(f.name, 'function', f, []));
          this.functions.push(f);
          break;
        }
        case ts.SyntaxKind.ArrowFunction:
        case ts.SyntaxKind.MethodDeclaration:
          this.functions.push(node);
          break;
        case ts.SyntaxKind.ClassDeclaration: {
          const c = node as ts.ClassDeclaration;
          if (c.name) this.add(blockScopeOf(c), mk(c.name, 'class', c, []));
          break;
        }
        case ts.SyntaxKind.ImportClause: {
          const c = node as ts.ImportClause;
          if (c.name) this.add(c.getSourceFile(), mk(c.name, 'import', c, ['default']));
          break;
        }
        case ts.SyntaxKind.NamespaceImport: {
          const n = node as ts.NamespaceImport;
          this.add(n.getSourceFile(), mk(n.name, 'import', n, []));
          break;
        }
        case ts.SyntaxKind.ImportSpecifier: {
          const n = node as ts.ImportSpecifier;
          this.add(n.getSourceFile(), mk(n.name, 'import', n, [(n.propertyName ?? n.name).text]));
          break;
        }
        case ts.SyntaxKind.ImportEqualsDeclaration: {
          const n = node as ts.ImportEqualsDeclaration;
          this.add(n.getSourceFile(), mk(n.name, 'import', n, []));
          break;
        }
        case ts.SyntaxKind.CatchClause: {
          const c = node as ts.CatchClause;
          if (c.variableDeclaration) {
            this.declarePattern(c.variableDeclaration.name, c, 'catch', [], c);
            ts.forEachChild(c.block, visit);
            return;
          }
          break;
        }
        case ts.SyntaxKind.InterfaceDeclaration:
        case ts.SyntaxKind.TypeAliasDeclaration:
          return;
        default:
          if (node.kind >= ts.SyntaxKind.FirstTypeNode && node.kind <= ts.SyntaxKind.LastTypeNode) return;
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
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function mk(id: ts.Identifier, kind: Binding['kind'], decl: ts.Node, path: Array<string | number>): Binding {
  return { name: id.text, kind, id, decl, path, inits: [] };
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

/**
 * The function of a top-level wrapper statement (`(function () { … })()`, `!function () { … }()`):
 * the implicit instance (`this` outside classes and object literals) inside it is the wrapper's
 * own, not the file's, as if the wrapper were a file (bundles and concatenated scripts wrap each
 * module so). Read by the evaluator (what `this` is) and by parts.ts (which statements share it).
 */
export function wrappedFunction(statement: ts.Node): ts.FunctionExpression | undefined {
  if (!ts.isExpressionStatement(statement)) return undefined;
  let e = skipOuter(statement.expression);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) e = skipOuter(e.operand);
  if (!ts.isCallExpression(e)) return undefined;
  const callee = skipOuter(e.expression);
  return ts.isFunctionExpression(callee) ? callee : undefined;
}

/** The top-level wrapper function (see wrappedFunction) that `node` lies in, if any. */
export function wrapperOf(node: ts.Node): ts.FunctionExpression | undefined {
  let top = node;
  while (top.parent && !ts.isSourceFile(top.parent)) top = top.parent;
  const fn = wrappedFunction(top);
  return fn && fn.pos <= node.pos && node.end <= fn.end ? fn : undefined;
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
    kind === ts.SyntaxKind.PlusEqualsToken ||
    kind === ts.SyntaxKind.BarBarEqualsToken ||
    kind === ts.SyntaxKind.QuestionQuestionEqualsToken ||
    kind === ts.SyntaxKind.AmpersandAmpersandEqualsToken
  );
}

/** Whether `node` is `scope` or lies inside it (in the same file). */
export function within(node: ts.Node, scope: ts.Node): boolean {
  if (node.getSourceFile() !== scope.getSourceFile()) return false;
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === scope) return true;
  return false;
}

/** What `commonJsExport` returns for `module.exports` itself (no property name contains a dot). */
export const WHOLE_MODULE = 'module.exports';

/**
 * What an assignment to `left` exports in CommonJS: the property name of `exports.name` or
 * `module.exports.name`, WHOLE_MODULE for `module.exports`, or undefined. The one test of an
 * export write, shared by the evaluator's export table and the split into parts.
 */
export function commonJsExport(left: ts.Expression): string | undefined {
  const target = skipOuter(left);
  if (!ts.isPropertyAccessExpression(target)) return undefined;
  const object = target.expression;
  if (ts.isIdentifier(object)) {
    if (object.text === 'exports') return target.name.text;
    return object.text === 'module' && target.name.text === 'exports' ? WHOLE_MODULE : undefined;
  }
  const isModuleExports = ts.isPropertyAccessExpression(object) && ts.isIdentifier(object.expression) && object.expression.text === 'module' && object.name.text === 'exports';
  return isModuleExports ? target.name.text : undefined;
}

/**
 * The function a call invokes, as written: `f` in `f(…)` and in compiled `(0, f)(…)` (tsc and Babel
 * call imported functions so, to call them without a `this`). Parentheses and assertions stripped.
 */
export function calleeCore(callee: ts.Expression): ts.Expression {
  const e = skipOuter(callee);
  return ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken ? skipOuter(e.right) : e;
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
