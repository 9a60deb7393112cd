import ts from 'typescript';
import { Scopes, skipOuter, propertyNameText, isFunctionScope, within, wrapperOf, commonJsExport, WHOLE_MODULE, type Binding } from './scope';
import { fsApi, moduleKind, moduleFunction, SERVER_FACTORIES, SOCKET_FACTORIES, serverTransport, SINK_PARAM_NAMES, UNCHANGED_ENCODINGS, UNCHANGED_METHODS, METADATA_PROPS } from './apis';
import { union, withStep, type FunctionLike, type Sink, type Source, type Step, type Val, type FileRef } from './values';
import { sourcesHandedBack, sourcesReturned, type FnVal } from './methods';
import { codeSpan } from './codeSpan';

/** Finds the analysis of another file of the project from a relative specifier. */
export interface ModuleResolver {
  resolve(fromFile: string, spec: string): FileEvaluator | undefined;
  /** The analysis of a file already loaded, if any. */
  loaded(fileName: string): FileEvaluator | undefined;
  /** The project's functions stored under property name `name` (see methods.ts). */
  methodsNamed(fromFile: string, name: string): FnVal[];
}

const EVENT_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
const CHAINABLE_SINK_METHODS = new Set(['status', 'set', 'type', 'header', 'setHeader', 'writeHead', 'code', 'headers', 'append', 'vary', 'attachment', 'cork', 'contentType', 'hijack', 'removeHeader', 'writeHeader', 'writeStatus']);
const STREAM_PASSTHROUGH_METHODS = new Set([...EVENT_METHODS, 'setEncoding', 'resume', 'pause']);

const MAX_PARAM_PATH = 3;

type Bound = { t: 'bound'; recv: Val; name: string };
type V = Val | Bound;

/**
 * Demand-driven abstract evaluation of one file: what values (fs modules, file bytes, streams,
 * sinks, local functions…) an expression may hold. Flow-insensitive per binding; memoised per node;
 * a cycle evaluates to "nothing known".
 */
export class FileEvaluator implements FileRef {
  readonly scopes: Scopes;
  private readonly memo = new Map<ts.Node, V[]>();
  private readonly bindingMemo = new Map<Binding, Val[]>();
  private readonly sources = new Map<ts.Node, Source>();
  private readonly returnsMemo = new Map<FunctionLike, Val[]>();
  private readonly callbackMemo = new Map<ts.Node, Map<string, { known: boolean; vals: Val[] }>>();
  private readonly busy = new Set<unknown>();
  private thisAssignments?: Map<ts.Node, Map<string, ts.Expression[]>>;
  private exportTable?: { whole?: ts.Expression; props: Map<string, ts.Node> };

  /**
   * The parsed file the evaluated statements hang from: `sf` itself, or the whole file when `sf` is
   * a view of some of its statements (a part, see parts.ts). Their nodes' `getSourceFile()` is this.
   */
  private readonly tree: ts.SourceFile;

  constructor(
    readonly fileName: string,
    readonly sf: ts.SourceFile,
    private readonly resolver: ModuleResolver,
  ) {
    this.scopes = new Scopes(sf);
    this.tree = sf.statements[0]?.getSourceFile() ?? sf;
  }

  /**
   * The evaluator of the file a node's `getSourceFile()` is. A part of an edited file (parts.ts) is a
   * tree made of the whole file's statements, whose nodes still name the whole file: it is this one too.
   */
  evaluatorOf(sf: ts.SourceFile): FileEvaluator | undefined {
    return sf === this.sf || sf === this.tree ? this : this.resolver.loaded(sf.fileName);
  }

  /** Whether a node is of the evaluated file (of the whole file, when a part of it is evaluated). */
  owns(node: ts.Node): boolean {
    return node.getSourceFile() === this.tree;
  }

  step(node: ts.Node, message: string, extra?: Pick<Step, 'call' | 'binding'>): Step {
    return { node, sf: this.sf, message, ...extra };
  }

  /** The values an expression may evaluate to. */
  eval(expr: ts.Expression): Val[] {
    return this.evalV(expr).filter((v): v is Val => v.t !== 'bound');
  }

  private evalV(expr: ts.Expression): V[] {
    const cached = this.memo.get(expr);
    if (cached) return cached;
    const out = this.guarded(expr, () => this.compute(expr));
    if (!out) return [];
    this.memo.set(expr, out);
    return out;
  }

  /**
   * Answers a question unless it is already being answered further up the stack: a cycle, where
   * nothing more is known along that path (undefined, which callers do not memoise).
   */
  private guarded<T>(question: unknown, answer: () => T): T | undefined {
    if (this.busy.has(question)) return undefined;
    this.busy.add(question);
    try {
      return answer();
    } finally {
      this.busy.delete(question);
    }
  }

  private compute(e0: ts.Expression): V[] {
    const e = skipOuter(e0);
    if (e !== e0) return this.evalV(e);
    if (ts.isIdentifier(e)) return this.identifier(e);
    if (e.kind === ts.SyntaxKind.ThisKeyword) return this.thisValue(e);
    if (ts.isPropertyAccessExpression(e)) {
      const recv = this.evalV(e.expression);
      const out = this.getPropV(recv, e.name.text, e);
      return out.some((v) => v.t === 'sink') ? out : union(out as Val[], this.guessedSinkProp(recv, e)) as V[];
    }
    if (ts.isElementAccessExpression(e)) {
      const arg = skipOuter(e.argumentExpression);
      const key = ts.isStringLiteralLike(arg) ? arg.text : ts.isNumericLiteral(arg) ? Number(arg.text) : '*';
      return this.getPropV(this.evalV(e.expression), key, e);
    }
    if (ts.isCallExpression(e)) return this.call(e);
    if (ts.isNewExpression(e)) return this.call(e);
    if (ts.isAwaitExpression(e)) return unwrap(this.eval(e.expression));
    if (ts.isConditionalExpression(e)) return union(this.eval(e.whenTrue), this.eval(e.whenFalse));
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.AmpersandAmpersandToken) {
        return union(op === ts.SyntaxKind.AmpersandAmpersandToken ? [] : this.eval(e.left), this.eval(e.right));
      }
      if (op === ts.SyntaxKind.EqualsToken || op === ts.SyntaxKind.CommaToken) return this.eval(e.right);
      // String concatenation embeds the bytes verbatim in a larger body.
      if (op === ts.SyntaxKind.PlusToken) return union(this.srcOnly(e.left, e), this.srcOnly(e.right, e));
      return [];
    }
    if (ts.isTemplateExpression(e)) {
      let out: Val[] = [];
      for (const span of e.templateSpans) out = union(out, this.srcOnly(span.expression, e));
      return out;
    }
    if (ts.isFunctionExpression(e) || ts.isArrowFunction(e)) return [{ t: 'fn', node: e, file: this }];
    if (ts.isObjectLiteralExpression(e)) return [{ t: 'obj', node: e, file: this }];
    if (ts.isArrayLiteralExpression(e)) return [{ t: 'arr', node: e, file: this }];
    if (ts.isClassExpression(e)) return [{ t: 'cls', node: e, file: this }];
    return [];
  }

  /** The file bytes (or parameters standing for them) among `e`'s values, with a step saying what happened to them. */
  private srcOnly(e: ts.Expression, at: ts.Node, message = 'embedded verbatim in a larger body'): Val[] {
    return bytesOf(this.eval(e)).map((v) => withStep(v, this.step(at, message)));
  }

  private identifier(id: ts.Identifier): V[] {
    const b = this.scopes.resolve(id);
    if (b) return this.valueOf(b);
    switch (id.text) {
      case 'require':
        return [{ t: 'require' }];
      // A CommonJS module reading its own exports (`exports.protocols[p]`).
      case 'exports':
        return [{ t: 'xmod', file: this }];
      case 'Buffer':
      case 'Promise':
      case 'String':
      case 'Object':
        return [{ t: 'mod', name: id.text }];
      default:
        return [];
    }
  }

  /** The values a binding may hold over its whole lifetime (flow-insensitive). */
  valueOf(b: Binding): Val[] {
    const cached = this.bindingMemo.get(b);
    if (cached) return cached;
    const out = this.guarded(b, () => this.computeBinding(b));
    if (!out) return [];
    const binding = b.kind === 'var' || b.kind === 'let' || b.kind === 'const' ? b.decl : undefined;
    const named = out.map((v) => withStep(v, this.step(b.id, `held in ${codeSpan(b.name)}`, { binding })));
    this.bindingMemo.set(b, named);
    return named;
  }

  private computeBinding(b: Binding): Val[] {
    let out: Val[] = [];
    const d = b.decl;
    if (ts.isVariableDeclaration(d)) {
      if (d.initializer) out = this.getPath(this.eval(d.initializer), b.path, d);
      else if (ts.isForOfStatement(d.parent.parent) && d.parent.parent.initializer === d.parent) {
        // `for await (const chunk of stream)`: each chunk is the stream's bytes; a generator's yields.
        out = this.getPath(this.iterated(this.eval(d.parent.parent.expression)), b.path, d);
      }
    } else if (ts.isParameter(d)) {
      out = this.paramBinding(b, d);
    } else if (ts.isFunctionDeclaration(d)) {
      out = [{ t: 'fn', node: d, file: this }];
    } else if (ts.isFunctionExpression(d)) {
      out = [{ t: 'fn', node: d, file: this }];
    } else if (ts.isClassDeclaration(d)) {
      out = [{ t: 'cls', node: d, file: this }];
    } else if (ts.isImportClause(d) || ts.isNamespaceImport(d) || ts.isImportSpecifier(d)) {
      const decl = ts.isImportClause(d) ? d.parent : ts.isNamespaceImport(d) ? d.parent.parent : d.parent.parent.parent;
      if (ts.isImportDeclaration(decl) && ts.isStringLiteral(decl.moduleSpecifier)) {
        const mod = this.requireValue(decl.moduleSpecifier.text);
        out = ts.isImportClause(d) ? this.getPath(mod, ['default'], d) : this.getPath(mod, b.path, d);
      }
    } else if (ts.isImportEqualsDeclaration(d)) {
      const ref = d.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) out = this.requireValue(ref.expression.text);
    }
    let later: Val[] = [];
    for (const rhs of this.scopes.assignmentsOf(b)) {
      const assignment = rhs.parent;
      // `body += part` appends: the part's bytes are embedded verbatim in what the variable holds.
      const appended = ts.isBinaryExpression(assignment) && assignment.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken;
      const vals = this.closureArgs(appended ? this.srcOnly(rhs, assignment) : this.getPath(this.eval(rhs), b.path, rhs), b);
      // `x = x.replace(…)` on every path: the bytes held before are gone, transformed.
      if (b.path.length === 0 && !appended && this.isUnconditionalSelfTransform(b, rhs, vals)) out = out.filter((v) => v.t !== 'src');
      later = union(later, vals);
    }
    out = union(out, later);
    out = union(out, this.chunkBuffers(b));
    return out;
  }

  /**
   * A nested function that stores its parameter in a variable of the enclosing function
   * (`function add(s) { body += s }`): the variable holds what `add`'s callers pass.
   */
  private closureArgs(vals: Val[], b: Binding): Val[] {
    if (!vals.some((v) => v.t === 'param')) return vals;
    const owner = enclosingFunction(b.decl);
    let out: Val[] = [];
    for (const v of vals) {
      if (v.t !== 'param' || v.fn === owner || !owner || !within(v.fn, owner)) {
        out = union(out, [v]);
        continue;
      }
      const name = this.functionName(v.fn);
      for (const site of this.usesOf(v.fn).direct) out = union(out, substitute([v], v.fn, site, this, name));
    }
    return out;
  }

  private isUnconditionalSelfTransform(b: Binding, rhs: ts.Expression, vals: Val[]): boolean {
    if (vals.some((v) => v.t === 'src') || !ts.isVariableDeclaration(b.decl)) return false;
    const assignment = rhs.parent;
    const statement = assignment?.parent;
    const declStatement = b.decl.parent?.parent;
    if (!statement || !ts.isExpressionStatement(statement) || !declStatement || statement.parent !== declStatement.parent) return false;
    let mentions = false;
    const visit = (n: ts.Node): void => {
      if (mentions) return;
      if (ts.isIdentifier(n) && n.text === b.name && this.scopes.resolve(n) === b) mentions = true;
      else ts.forEachChild(n, visit);
    };
    visit(rhs);
    return mentions;
  }

  /** What a `for of` / `for await` loop variable takes from the iterated values. */
  private iterated(vals: Val[]): Val[] {
    let out: Val[] = [];
    for (const v of unwrap(vals)) {
      if (v.t === 'src' && v.src.form === 'stream') out = union(out, [v]);
      else if (v.t === 'iter') out = union(out, unwrap(v.of));
      else if (v.t === 'arr' || v.t === 'tuple') out = union(out, this.getPath([v], ['*'], v.t === 'arr' ? v.node : this.sf));
    }
    return out;
  }

  /** A buffer passed to `read(fd, buf, …)` / `fh.read(buf, …)` holds the file's bytes afterwards. */
  private chunkBuffers(b: Binding): Val[] {
    let out: Val[] = [];
    for (const { call, ref } of this.readCallArguments().get(b.name) ?? []) {
      if (this.scopes.resolve(ref) !== b) continue;
      const callee = skipOuter(call.expression);
      for (const f of this.eval(callee)) {
        if (f.t !== 'fsfn') continue;
        const api = fsApi(f.flavor, f.name);
        if (!api || (api.kind !== 'chunk' && api.kind !== 'sync-chunk')) continue;
        const bufferArg = f.flavor === 'handle' ? 0 : 1;
        if (call.arguments[bufferArg] === ref) out = union(out, [{ t: 'src', src: this.source(call, callee, 'chunk', f.name), trail: [this.step(callee, 'reads a chunk of the file into a buffer')] }]);
      }
    }
    return out;
  }

  /** Identifiers passed to calls whose callee's name mentions "read", by name (the candidates for chunk buffers). */
  private readArgs?: Map<string, Array<{ call: ts.CallExpression; ref: ts.Identifier }>>;
  private readCallArguments(): Map<string, Array<{ call: ts.CallExpression; ref: ts.Identifier }>> {
    if (this.readArgs) return this.readArgs;
    const index = new Map<string, Array<{ call: ts.CallExpression; ref: ts.Identifier }>>();
    for (const call of this.scopes.calls) {
      if (!ts.isCallExpression(call)) continue;
      const callee = skipOuter(call.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (!/read/i.test(name)) continue;
      for (const a of call.arguments.slice(0, 2)) {
        if (!ts.isIdentifier(a)) continue;
        const list = index.get(a.text) ?? [];
        list.push({ call, ref: a });
        index.set(a.text, list);
      }
    }
    return (this.readArgs = index);
  }

  source(node: ts.CallExpression | ts.NewExpression, callee: ts.Expression, form: Source['form'], api: string): Source {
    let s = this.sources.get(node);
    if (!s) this.sources.set(node, (s = { node, callee, sf: this.sf, form, api }));
    return s;
  }

  private srcVal(node: ts.CallExpression | ts.NewExpression, callee: ts.Expression, form: Source['form'], api: string): Val {
    const what = form === 'whole' ? 'reads the whole file into memory' : form === 'stream' ? 'opens a read stream on the file' : 'reads a chunk of the file';
    return { t: 'src', src: this.source(node, callee, form, api), trail: [this.step(callee, what)] };
  }

  requireValue(spec: string): Val[] {
    const kind = moduleKind(spec);
    if (kind) return [{ t: 'mod', name: kind }];
    const fn = moduleFunction(spec);
    if (fn) return [{ t: 'modfn', ...fn }];
    if (spec.startsWith('.') || spec.startsWith('/')) {
      const target = this.resolver.resolve(this.fileName, spec);
      if (target) return [{ t: 'xmod', file: target }];
    }
    return [];
  }

  // ---- properties -------------------------------------------------------------------------

  getPath(vals: Val[], path: Array<string | number>, at: ts.Node): Val[] {
    let cur: Val[] = vals;
    for (const key of path) cur = this.getPropV(cur, key, at).filter((v): v is Val => v.t !== 'bound');
    return cur;
  }

  private getPropV(vals: V[], key: string | number, at: ts.Node): V[] {
    let out: V[] = [];
    for (const v of vals) out = union(out as Val[], this.prop(v, key, at) as Val[]) as V[];
    return out;
  }

  private prop(v: V, key: string | number, at: ts.Node): V[] {
    const name = String(key);
    switch (v.t) {
      case 'mod': {
        if (name === 'default') return [v];
        if (v.name === 'fs') {
          const api = fsApi('cb', name);
          if (api?.kind === 'promises') return [{ t: 'mod', name: 'fs/promises' }];
          return api ? [{ t: 'fsfn', name, flavor: 'cb' }] : [];
        }
        if (v.name === 'fs/promises') return fsApi('promise', name) ? [{ t: 'fsfn', name, flavor: 'promise' }] : [];
        if (v.name === 'stream' && name === 'promises') return [{ t: 'mod', name: 'stream/promises' }];
        return [{ t: 'modfn', mod: v.name, name }];
      }
      case 'fh':
        return fsApi('handle', name) ? [{ t: 'fsfn', name, flavor: 'handle' }] : [];
      case 'fsfn':
      case 'fn':
        return name === 'bind' ? [{ t: 'bound', recv: v, name }] : [];
      case 'modfn':
        // `import pump from 'pump'`: the package's export is the function itself.
        if (name === 'default') return [v];
        // A class or namespace of a module: `stream.Readable.from`.
        return [{ t: 'modfn', mod: `${v.mod}.${v.name}`, name }];
      case 'src':
        if (METADATA_PROPS.has(name)) return [];
        if (typeof key === 'number') return [];
        return [{ t: 'bound', recv: v, name }];
      case 'promise':
        return name === 'then' || name === 'catch' || name === 'finally' ? [{ t: 'bound', recv: v, name }] : [];
      case 'readResult':
        return name === 'buffer' ? [{ t: 'src', src: v.src, trail: v.trail }] : [];
      case 'sink':
        return this.sinkProp(v.sink, name, v);
      case 'server':
        return [{ t: 'bound', recv: v, name }];
      case 'param':
        // `data.toString('binary')` on a parameter: the same bytes, whatever the caller passes.
        if (UNCHANGED_METHODS.has(name)) return [{ t: 'bound', recv: v, name }];
        // Deeper paths than this are not followed (recursive walkers would grow them forever).
        return v.path.length >= MAX_PARAM_PATH ? [] : [{ t: 'param', fn: v.fn, index: v.index, path: [...v.path, key] }];
      case 'obj':
        return (v.file as FileEvaluator).objectProp(v.node, name);
      case 'arr':
        return (v.file as FileEvaluator).arrayElem(v.node, key);
      case 'tuple':
        return typeof key === 'number' ? (v.items[key] ?? []) : key === '*' ? v.items.flat() : [];
      case 'form':
      case 'through':
        return [{ t: 'bound', recv: v, name }];
      case 'xmod':
        return (v.file as FileEvaluator).exportValue(name);
      case 'inst':
        return (v.file as FileEvaluator).instanceProp(v.node, name);
      case 'cls':
        return (v.file as FileEvaluator).staticProp(v.node, name);
      default:
        return [];
    }
  }

  /**
   * `x.socket`, `x.response` on an object the evaluator cannot see (a connector, a request context
   * handed in by a caller outside the project): the property's name says what it is, as a handler
   * parameter's name does.
   */
  private guessedSinkProp(recv: V[], e: ts.PropertyAccessExpression): Val[] {
    const cls = SINK_PARAM_NAMES[e.name.text];
    if (!cls || cls === 'hapi-toolkit') return [];
    if (!recv.every((v) => v.t === 'param' && v.path.length === 0 && !this.callerValues(v.fn, v.index).known)) return [];
    return [{ t: 'sink', sink: { cls, transport: 'unknown', guessed: true, origin: e } }];
  }

  private sinkProp(s: Sink, name: string, v: Val): V[] {
    const derive = (cls: Sink['cls'], transport = s.transport): V[] => [{ t: 'sink', sink: { ...s, cls, transport } }];
    if (s.cls === 'koa-ctx') {
      if (name === 'res') return derive('http-response');
      // Only a name said it was koa's: a `response` that is piped or written to is the HTTP response.
      if (name === 'response') return s.guessed ? [v, ...derive('http-response')] : [v];
      return [];
    }
    if (s.cls === 'fastify-reply' && name === 'raw') return derive('http-response');
    if (s.cls === 'http-response' && (name === 'socket' || name === 'connection')) return derive('socket');
    if (s.cls === 'http-response' && name === 'stream' && s.transport === 'http2') return derive('http2-stream');
    return [{ t: 'bound', recv: v, name }];
  }

  objectProp(obj: ts.ObjectLiteralExpression, name: string): Val[] {
    // `options = { ...options, x }` spreads an object into itself: a cycle knows nothing more.
    return this.guarded(`prop@${obj.pos}:${name}`, () => this.objectPropOnce(obj, name)) ?? [];
  }

  private objectPropOnce(obj: ts.ObjectLiteralExpression, name: string): Val[] {
    let out: Val[] = [];
    // `map[key]` with a key not known here: any of its properties.
    const any = name === '*';
    for (const p of obj.properties) {
      if (any && !ts.isSpreadAssignment(p)) {
        if (ts.isShorthandPropertyAssignment(p)) out = union(out, this.eval(p.name));
        else if (ts.isPropertyAssignment(p)) out = union(out, this.eval(p.initializer));
        else if (ts.isMethodDeclaration(p)) out.push({ t: 'fn', node: p, file: this });
      } else if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) out = union(out, this.eval(p.name));
      else if (ts.isPropertyAssignment(p) && propertyNameText(p.name) === name) out = union(out, this.eval(p.initializer));
      else if (ts.isMethodDeclaration(p) && propertyNameText(p.name) === name) out.push({ t: 'fn', node: p, file: this });
      else if (ts.isGetAccessorDeclaration(p) && propertyNameText(p.name) === name) out = union(out, this.returnsOf(p));
      else if (ts.isSpreadAssignment(p)) out = union(out, this.getPath(this.eval(p.expression), [name], p));
    }
    return union(out, this.storedInto(obj, name));
  }

  arrayElem(arr: ts.ArrayLiteralExpression, key: string | number): Val[] {
    if (typeof key === 'number') {
      const el = arr.elements[key];
      return el && !ts.isSpreadElement(el) && !ts.isOmittedExpression(el) ? this.eval(el) : [];
    }
    if (key !== '*') return [];
    let out: Val[] = [];
    for (const el of arr.elements) if (!ts.isOmittedExpression(el)) out = union(out, this.eval(ts.isSpreadElement(el) ? el.expression : el));
    return out;
  }

  // ---- `this` and classes -------------------------------------------------------------------

  private thisValue(node: ts.Node): V[] {
    for (let n = node.parent; n; n = n.parent) {
      if (ts.isArrowFunction(n) || isBoundToThis(n)) continue;
      if (ts.isClassLike(n)) return [{ t: 'inst', node: n, file: this }];
      if (isFunctionScope(n)) {
        if (n.parent && ts.isClassLike(n.parent)) return [{ t: 'inst', node: n.parent, file: this }];
        if (n.parent && ts.isObjectLiteralExpression(n.parent)) return [{ t: 'obj', node: n.parent, file: this }];
        // A prototype-style method: `this` is the file's (or its wrapper's) "instance"; or an instance of a class that exposes the function.
        return [this.implicitInstance(n), ...this.exposingClasses(n).map((c): Val => ({ t: 'inst', node: c, file: this }))];
      }
    }
    return [this.implicitInstance(node)];
  }

  /** The instance `this` stands for outside classes: the file's, or its top-level wrapper function's. */
  private implicitInstance(node: ts.Node): Val {
    return { t: 'inst', node: (wrapperOf(node) ?? this.sf) as unknown as ts.ClassLikeDeclaration, file: this };
  }

  /** Classes that hand out free function `fn` as a member (`get serve() { return serve; }`, `serve = serve;`): its `this`. */
  private readonly exposedBy = new Map<ts.Node, ts.ClassLikeDeclaration[]>();
  private exposingClasses(fn: ts.Node): ts.ClassLikeDeclaration[] {
    const cached = this.exposedBy.get(fn);
    if (cached) return cached;
    const b = ts.isFunctionDeclaration(fn) && fn.name ? this.bindingDeclaredBy(fn.name) : undefined;
    const out: ts.ClassLikeDeclaration[] = [];
    for (const ref of b ? this.scopes.refsOf(b) : []) {
      const member = ts.isReturnStatement(ref.parent) && ts.isBlock(ref.parent.parent) ? ref.parent.parent.parent : ref.parent;
      if ((ts.isGetAccessorDeclaration(member) || ts.isPropertyDeclaration(member)) && ts.isClassLike(member.parent) && !out.includes(member.parent)) out.push(member.parent);
    }
    this.exposedBy.set(fn, out);
    return out;
  }

  instanceProp(container: ts.Node, name: string): V[] {
    let out: Val[] = [];
    if (ts.isClassLike(container)) {
      for (const m of container.members) {
        if (!m.name || propertyNameText(m.name) !== name) continue;
        if (ts.isMethodDeclaration(m)) out.push({ t: 'fn', node: m, file: this });
        else if (ts.isGetAccessorDeclaration(m)) out = union(out, this.returnsOf(m));
        else if (ts.isPropertyDeclaration(m) && m.initializer) out = union(out, this.eval(m.initializer));
      }
      // A field others write (`ref.value = body`); through a setter, its parameter takes the value instead.
      if (!container.members.some((m) => ts.isSetAccessorDeclaration(m) && m.name && propertyNameText(m.name) === name)) out = union(out, this.storedInto(container, name));
      const heritage = container.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      if (out.length === 0 && heritage) {
        for (const base of this.eval(heritage.expression)) if (base.t === 'cls') out = union(out, (base.file as FileEvaluator).instanceProp(base.node, name) as Val[]);
      }
    } else {
      // Prototype methods: `X.prototype.name = function …`.
      out = union(out, this.prototypeMethods(container, name));
    }
    // A sink kept in a field belongs to the object, which lives as long as the request it serves.
    for (const rhs of this.thisAssigned(container).get(name) ?? []) {
      out = union(out, this.eval(rhs).map((v): Val => (v.t === 'sink' ? { t: 'sink', sink: { ...v.sink, origin: container } } : v)));
    }
    const guess = SINK_PARAM_NAMES[name];
    if (guess && !out.some((v) => v.t === 'sink')) out = union(out, [{ t: 'sink', sink: { cls: guess, transport: 'unknown', guessed: true, origin: container } }]);
    return out;
  }

  /** Assignments `x.name = …` whose receiver is not `this`, by property name. */
  private memberWrites?: Map<string, ts.BinaryExpression[]>;

  /** What code stores into field `name` of a holder object (a class's instances, an object literal): `ref.value = body`. */
  private storedInto(holder: ts.Node, name: string): Val[] {
    if (!this.memberWrites) {
      this.memberWrites = new Map();
      for (const a of this.scopes.memberAssignments) {
        const left = skipOuter(a.left);
        if (a.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(left) || left.expression.kind === ts.SyntaxKind.ThisKeyword) continue;
        const list = this.memberWrites.get(left.name.text) ?? [];
        list.push(a);
        this.memberWrites.set(left.name.text, list);
      }
    }
    const writes = this.memberWrites.get(name);
    if (!writes) return [];
    let out: Val[] = [];
    for (const a of writes) {
      const recv = (skipOuter(a.left) as ts.PropertyAccessExpression).expression;
      if (this.eval(recv).some((v) => (v.t === 'inst' || v.t === 'obj' || v.t === 'through') && v.node === holder)) out = union(out, this.eval(a.right));
    }
    return out;
  }

  staticProp(cls: ts.ClassLikeDeclaration, name: string): V[] {
    for (const m of cls.members) {
      if (m.name && propertyNameText(m.name) === name && ts.isMethodDeclaration(m)) return [{ t: 'fn', node: m, file: this }];
    }
    return [];
  }

  private prototypeMethods(container: ts.Node, name: string): Val[] {
    let out: Val[] = [];
    for (const rhs of this.thisAssigned(container).get(`prototype.${name}`) ?? []) out = union(out, this.eval(rhs));
    return out;
  }

  /** `this.x = …` assignments, grouped by class (or the file or its wrapper for prototype-style code). */
  private thisAssigned(container: ts.Node): Map<string, ts.Expression[]> {
    if (!this.thisAssignments) {
      const all = new Map<ts.Node, Map<string, ts.Expression[]>>();
      const add = (c: ts.Node, key: string, rhs: ts.Expression) => {
        let m = all.get(c);
        if (!m) all.set(c, (m = new Map()));
        const list = m.get(key) ?? [];
        list.push(rhs);
        m.set(key, list);
      };
      const visit = (n: ts.Node): void => {
        if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
          const left = skipOuter(n.left);
          if (ts.isPropertyAccessExpression(left)) {
            if (left.expression.kind === ts.SyntaxKind.ThisKeyword) {
              const self = this.thisValue(left)[0];
              if (self && (self.t === 'inst' || self.t === 'obj')) add(self.node, left.name.text, n.right);
            } else if (ts.isPropertyAccessExpression(left.expression) && left.expression.name.text === 'prototype') {
              add(wrapperOf(n) ?? this.sf, `prototype.${left.name.text}`, n.right);
            }
          }
        }
        ts.forEachChild(n, visit);
      };
      visit(this.sf);
      this.thisAssignments = all;
    }
    return this.thisAssignments.get(container) ?? new Map();
  }

  // ---- calls --------------------------------------------------------------------------------

  private call(c: ts.CallExpression | ts.NewExpression): V[] {
    const callee = skipOuter(c.expression);
    const args = c.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    if (ts.isCallExpression(c) && callee.kind === ts.SyntaxKind.ImportKeyword) {
      const a = args[0];
      return a && ts.isStringLiteralLike(a) ? [{ t: 'promise', of: this.requireValue(a.text) }] : [];
    }
    let out: Val[] = [];
    const fs = this.evalV(callee);
    for (const f of fs) out = union(out, this.apply(f, c, callee, args));
    const name = fs.some((f) => f.t !== 'param') ? undefined : methodName(callee);
    if (name === 'then' && args[0]) {
      // A thenable the evaluator cannot see (a bluebird chain, an injected client): resolves to what the callback returns.
      return [{ t: 'promise', of: this.thenResults(args[0]) }];
    }
    if (name !== undefined) {
      for (const f of this.resolver.methodsNamed(this.fileName, name)) {
        const step = this.step(callee, `calls ${codeSpan(name)} on an object passed in: a function of the project stored as ${codeSpan(name)}`, { call: true });
        out = union(out, sourcesReturned(f, c, this).map((v) => withStep(v, step)));
      }
    }
    return out;
  }

  private thenResults(cb: ts.Expression): Val[] {
    let of: Val[] = [];
    for (const f of this.eval(cb)) if (f.t === 'fn') of = union(of, unwrap((f.file as FileEvaluator).returnsOf(f.node)) as Val[]);
    return of;
  }

  private apply(f: V, c: ts.CallExpression | ts.NewExpression, callee: ts.Expression, args: ts.NodeArray<ts.Expression>): Val[] {
    switch (f.t) {
      case 'require': {
        const a = args[0];
        return a && ts.isStringLiteralLike(a) ? this.requireValue(a.text) : [];
      }
      case 'fsfn':
        return this.fsCall(f.flavor, f.name, c, callee, args);
      case 'modfn':
        return this.modCall(f.mod, f.name, c, args);
      case 'mod':
        if (f.name === 'form-data') return [{ t: 'form', node: c, file: this }];
        if (f.name === 'String' && args[0]) return bytesOf(this.eval(args[0]));
        if (f.name === 'Promise' && ts.isNewExpression(c) && args[0]) {
          let of: Val[] = [];
          for (const ex of this.eval(args[0])) if (ex.t === 'fn') of = union(of, (ex.file as FileEvaluator).invocationArgs(ex.node, 0, 0));
          return [{ t: 'promise', of }];
        }
        return [];
      case 'fn':
        return (f.file as FileEvaluator).callFunction(f.node, c, this);
      case 'xmod':
        return (f.file as FileEvaluator).exportValue('module.exports').reduce<Val[]>((out, w) => union(out, w.t === 'xmod' ? [] : this.apply(w, c, callee, args)), []);
      case 'cls':
        return ts.isNewExpression(c) ? [{ t: 'inst', node: f.node, file: f.file }] : [];
      case 'bound':
        return this.boundCall(f, c, args);
      case 'param':
        return this.injected(f).reduce<Val[]>((out, g) => union(out, this.apply(g, c, callee, args)), []);
      default:
        return [];
    }
  }

  private fsCall(flavor: 'cb' | 'promise' | 'handle', name: string, c: ts.CallExpression | ts.NewExpression, callee: ts.Expression, args: ts.NodeArray<ts.Expression>): Val[] {
    const api = fsApi(flavor, name);
    if (!api) return [];
    const hasCallback = args.some((a) => ts.isFunctionExpression(a) || ts.isArrowFunction(a) || this.eval(a).some((v) => v.t === 'fn' || v.t === 'param'));
    switch (api.kind) {
      case 'whole':
        if (flavor === 'cb' && hasCallback) return [];
        return [{ t: 'promise', of: [this.srcVal(c, callee, 'whole', name)] }];
      case 'sync-whole':
        return [this.srcVal(c, callee, 'whole', name)];
      case 'stream':
        return [this.srcVal(c, callee, 'stream', name)];
      case 'chunk':
        if (flavor === 'cb' && hasCallback) return [];
        return [{ t: 'promise', of: [{ t: 'readResult', src: this.source(c, callee, 'chunk', name), trail: [this.step(callee, 'reads a chunk of the file')] }] }];
      case 'open':
        return flavor === 'cb' ? [] : [{ t: 'promise', of: [{ t: 'fh' }] }];
      case 'write-stream':
        return [{ t: 'sink', sink: { cls: 'file', transport: 'file', guessed: false, origin: c } }];
      default:
        return [];
    }
  }

  private modCall(mod: string, name: string, c: ts.CallExpression | ts.NewExpression, args: ts.NodeArray<ts.Expression>): Val[] {
    const proto = SERVER_FACTORIES[mod]?.[name];
    if (proto) return [{ t: 'server', proto }];
    const sock = SOCKET_FACTORIES[mod]?.[name];
    if (sock) return [{ t: 'sink', sink: { cls: sock.cls, transport: sock.transport, guessed: false, origin: c } }];
    if (mod === 'stream' && (name === 'Transform' || name === 'PassThrough')) return [{ t: 'through', node: c, file: this }];
    if (mod === 'util' && name === 'promisify' && args[0]) {
      const out: Val[] = [];
      for (const v of this.eval(args[0])) {
        if (v.t === 'fsfn' && v.flavor === 'cb') out.push({ t: 'fsfn', name: v.name, flavor: 'promise' });
        else if (v.t === 'modfn' && v.mod === 'stream' && v.name === 'pipeline') out.push({ t: 'modfn', mod: 'stream/promises', name: 'pipeline' });
      }
      return out;
    }
    if (mod === 'stream.Readable' && name === 'from' && args[0]) {
      // A stream over bytes already in memory: they reach the sink unchanged.
      return this.srcOnly(args[0], c, 'wrapped in a stream by Readable.from');
    }
    if (mod === 'Object' && name === 'assign') {
      // The merged object has every source object's properties (which one wins is not modelled).
      let out: Val[] = [];
      for (const a of args) out = union(out, this.eval(a).filter((v) => v.t === 'obj' || v.t === 'xmod' || v.t === 'inst'));
      return out;
    }
    if (mod === 'Promise' && args[0]) {
      if (name === 'resolve') return [{ t: 'promise', of: this.eval(args[0]) }];
      if (name === 'try') return [{ t: 'promise', of: this.thenResults(args[0]) }];
      const list = skipOuter(args[0]);
      if ((name === 'all' || name === 'race' || name === 'any') && ts.isArrayLiteralExpression(list)) {
        const items = list.elements.map((el) => (ts.isSpreadElement(el) || ts.isOmittedExpression(el) ? [] : unwrap(this.eval(el))));
        return [{ t: 'promise', of: name === 'all' ? [{ t: 'tuple', items }] : items.flat() }];
      }
    }
    if (mod === 'Buffer' && (name === 'from' || name === 'concat') && args[0]) {
      // Same bytes in a new Buffer, or embedded verbatim among others.
      const vals = name === 'from' ? this.eval(args[0]) : this.getPath(this.eval(args[0]), ['*'], args[0]);
      return bytesOf(vals).map((v) => withStep(v, this.step(c, name === 'from' ? 'copied into a new Buffer, bytes unchanged' : 'embedded verbatim in a larger body')));
    }
    return [];
  }

  private boundCall(f: Bound, c: ts.CallExpression | ts.NewExpression, args: ts.NodeArray<ts.Expression>): Val[] {
    const r = f.recv;
    if (r.t === 'src' || r.t === 'param') {
      if (f.name === 'toString') {
        const enc = args[0] && skipOuter(args[0]);
        if (!enc || (ts.isStringLiteralLike(enc) && UNCHANGED_ENCODINGS.has(enc.text.toLowerCase()))) return [withStep(r, this.step(c, 'decoded as text, bytes unchanged'))];
        return [];
      }
      if (f.name === 'slice' || f.name === 'subarray') return [withStep(r, this.step(c, 'a byte range of it'))];
      if (r.t === 'param') return [];
      if (r.src.form === 'stream' && f.name === 'pipe' && args[0]) return this.pipedInto([r], args[0], c);
      if (r.src.form === 'stream' && STREAM_PASSTHROUGH_METHODS.has(f.name)) return [r];
      return [];
    }
    if (r.t === 'promise') {
      if (f.name === 'then' && args[0]) return [{ t: 'promise', of: this.thenResults(args[0]) }];
      return [r];
    }
    if (r.t === 'form' && f.name === 'pipe' && args[0]) return this.pipedInto((r.file as FileEvaluator).formParts(r.node), args[0], c);
    if (r.t === 'sink' && CHAINABLE_SINK_METHODS.has(f.name)) return [r];
    // `fs.createReadStream.bind(fs)` is the same function.
    if ((r.t === 'fsfn' || r.t === 'fn') && f.name === 'bind') return [r];
    return [];
  }

  // ---- streams built from other streams ----------------------------------------------------

  /** What a stream holds when piped (`x.pipe(res)`, `pipeline(x, res)`): a multipart form, its parts. */
  streamed(vals: Val[]): Val[] {
    let out: Val[] = [];
    for (const v of vals) out = union(out, v.t === 'form' ? (v.file as FileEvaluator).formParts(v.node) : [v]);
    return out;
  }

  /** What `x.pipe(dest)` returns: `dest`, which gives out `x`'s bytes unchanged when it only forwards chunks. */
  private pipedInto(bytes: Val[], dest: ts.Expression, at: ts.Node): Val[] {
    const d = this.eval(dest);
    if (!d.some((v) => v.t === 'through' && (v.file as FileEvaluator).isIdentity(v.node))) return d;
    return union(d, bytes.map((v) => withStep(v, this.step(at, 'through a stream that passes each chunk on unchanged'))));
  }

  private readonly partsMemo = new Map<ts.Node, Val[]>();
  /** The bytes appended to a form-data body created at `form` (`form.append(name, stream)`): embedded verbatim. */
  formParts(form: ts.Node): Val[] {
    const cached = this.partsMemo.get(form);
    if (cached) return cached;
    const out = this.guarded(`parts@${form.pos}`, () => {
      let parts: Val[] = [];
      for (const call of this.scopes.calls) {
        const callee = skipOuter(call.expression);
        const part = call.arguments?.[1];
        if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'append' || !part) continue;
        if (this.eval(callee.expression).some((v) => v.t === 'form' && v.node === form)) parts = union(parts, this.srcOnly(part, call, 'appended to a multipart body, bytes unchanged'));
      }
      return parts;
    });
    if (!out) return [];
    this.partsMemo.set(form, out);
    return out;
  }

  /**
   * Whether the Transform created at `node` passes every chunk on unchanged: a `PassThrough`, or a
   * transform function (`transform` option, `_transform` assigned) that calls back with its chunk.
   */
  isIdentity(node: ts.CallExpression | ts.NewExpression): boolean {
    const kinds = this.eval(node.expression);
    if (kinds.some((k) => k.t === 'modfn' && k.name === 'PassThrough')) return true;
    const options = node.arguments?.[0];
    const fns = union(options ? this.getPath(this.eval(options), ['transform'], options) : [], this.storedInto(node, '_transform'));
    return fns.length > 0 && fns.every((f) => f.t === 'fn' && (f.file as FileEvaluator).callsBackWithChunk(f.node));
  }

  private callsBackWithChunk(fn: FunctionLike): boolean {
    return this.invocationArgs(fn, 2, 1).some((v) => v.t === 'param' && v.fn === fn && v.index === 0 && v.path.length === 0);
  }

  /** The local functions a callee may be (through a CommonJS module whose export is a function, too). */
  calleeFunctions(callee: ts.Expression): Array<Extract<Val, { t: 'fn' }>> {
    const out: Array<Extract<Val, { t: 'fn' }>> = [];
    for (const v of this.eval(callee)) {
      if (v.t === 'fn') out.push(v);
      else if (v.t === 'xmod') for (const w of (v.file as FileEvaluator).exportValue('module.exports')) if (w.t === 'fn') out.push(w);
    }
    return out;
  }

  /** What a call of local function `fn` returns at call site `c` (evaluated in `caller`). */
  callFunction(fn: FunctionLike, c: ts.CallExpression | ts.NewExpression, caller: FileEvaluator): Val[] {
    if (ts.isNewExpression(c)) return [];
    const name = this.functionName(fn);
    const generator = !!(fn as ts.FunctionLikeDeclarationBase).asteriskToken;
    const produced = generator ? this.yieldsOf(fn) : this.returnsOf(fn);
    const returns = produced.map((v) => withStep(v, caller.step(c, `${generator ? 'yielded' : 'returned'} by ${codeSpan(`${name}()`)}`, { call: true })));
    const substituted = substitute(returns, fn, c, caller, name);
    if (generator) return [{ t: 'iter', of: substituted }];
    return isAsync(fn) ? [{ t: 'promise', of: unwrap(substituted) as Val[] }] : substituted;
  }

  returnsOf(fn: FunctionLike): Val[] {
    const cached = this.returnsMemo.get(fn);
    if (cached) return cached;
    const out = this.guarded(`returns@${fn.pos}`, () => {
      if (ts.isArrowFunction(fn) && !ts.isBlock(fn.body)) return this.eval(fn.body);
      let returned: Val[] = [];
      if (fn.body) forEachReturn(fn.body, (r) => r.expression && (returned = union(returned, this.eval(r.expression))));
      return returned;
    });
    if (!out) return [];
    this.returnsMemo.set(fn, out);
    return out;
  }

  private yieldsOf(fn: FunctionLike): Val[] {
    let out: Val[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isYieldExpression(n) && n.expression && !n.asteriskToken) out = union(out, this.eval(n.expression));
      if (isFunctionScope(n) || ts.isClassLike(n)) return;
      ts.forEachChild(n, visit);
    };
    if (fn.body) ts.forEachChild(fn.body, visit);
    return out;
  }

  functionName(fn: FunctionLike): string {
    if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name) return fn.name.getText(this.sf);
    if (fn.parent && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
    if (fn.parent && ts.isPropertyAssignment(fn.parent)) return fn.parent.name.getText(this.sf);
    if (fn.parent && ts.isBinaryExpression(fn.parent) && ts.isPropertyAccessExpression(fn.parent.left)) return fn.parent.left.name.text;
    return 'function';
  }

  // ---- parameters -------------------------------------------------------------------------

  private paramBinding(b: Binding, d: ts.ParameterDeclaration): Val[] {
    const fn = d.parent as FunctionLike;
    const index = fn.parameters.indexOf(d);
    const symbolic: Val = { t: 'param', fn, index, path: b.path };
    const { known, vals } = this.callerValues(fn, index);
    // A sink received by a handler parameter belongs to that handler (it is per request).
    const own = vals.map((v): Val => (v.t === 'sink' ? { t: 'sink', sink: { ...v.sink, origin: d } } : v));
    let out: Val[] = [symbolic, ...this.getPath(own, b.path, d)];
    if (!known && b.path.length === 0) {
      const cls = SINK_PARAM_NAMES[b.name];
      // `h` is only hapi's toolkit in a (request, h) handler.
      if (cls && (cls !== 'hapi-toolkit' || index === 1)) out.push({ t: 'sink', sink: { cls, transport: 'unknown', guessed: true, origin: d } });
    }
    if (out.length > 1) out = out.map((v) => withStep(v, this.step(d, `received as ${codeSpan(b.name)}`)));
    return out;
  }

  /**
   * What the callers of `fn` pass as parameter `index`, when `fn` is handed to an API we know
   * (a callback of fs, a request handler) or to a local function that invokes it.
   * `known` says whether every caller was seen (then names are not used to guess sinks).
   */
  callerValues(fn: FunctionLike, index: number): { known: boolean; vals: Val[] } {
    // A setter's parameter takes what is assigned to the property.
    if (ts.isSetAccessorDeclaration(fn) && ts.isClassLike(fn.parent)) {
      const name = propertyNameText(fn.name);
      return { known: true, vals: index === 0 && name !== undefined ? this.storedInto(fn.parent, name) : [] };
    }
    const { uses, direct } = this.usesOf(fn);
    let known = direct.length > 0;
    let vals: Val[] = [];
    for (const u of uses) {
      const r = this.callbackArgValues(u.call, u.arg, index);
      known ||= r.known;
      vals = union(vals, r.vals);
    }
    return { known, vals };
  }

  /** Where local function `fn` is passed as an argument (`uses`) and where it is called by name (`direct`). */
  private usesOf(fn: FunctionLike): { uses: Array<{ call: ts.CallExpression | ts.NewExpression; arg: number }>; direct: ts.CallExpression[] } {
    const uses: Array<{ call: ts.CallExpression | ts.NewExpression; arg: number }> = [];
    const direct: ts.CallExpression[] = [];
    const noteUse = (expr: ts.Node) => {
      let e: ts.Node = expr;
      while (e.parent && (ts.isParenthesizedExpression(e.parent) || ts.isAsExpression(e.parent))) e = e.parent;
      // `fn.bind(this)` is the same function with the same parameters.
      const bind = e.parent;
      if (bind && ts.isPropertyAccessExpression(bind) && bind.name.text === 'bind' && ts.isCallExpression(bind.parent) && bind.parent.expression === bind && bind.parent.arguments.length <= 1) {
        e = bind.parent;
        while (e.parent && ts.isParenthesizedExpression(e.parent)) e = e.parent;
      }
      const p = e.parent;
      if (p && (ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(e as ts.Expression)) uses.push({ call: p, arg: p.arguments.indexOf(e as ts.Expression) });
      else if (p && ts.isCallExpression(p) && p.expression === e) direct.push(p);
    };
    if (ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) {
      noteUse(fn);
      let e: ts.Node = fn;
      while (e.parent && ts.isParenthesizedExpression(e.parent)) e = e.parent;
      if (e.parent && ts.isVariableDeclaration(e.parent) && ts.isIdentifier(e.parent.name)) {
        const b = this.scopes.resolve(e.parent.name) ?? this.bindingDeclaredBy(e.parent.name);
        if (b) this.scopes.refsOf(b).forEach(noteUse);
      }
    } else if (ts.isFunctionDeclaration(fn) && fn.name) {
      const b = this.bindingDeclaredBy(fn.name);
      if (b) this.scopes.refsOf(b).forEach(noteUse);
    }
    return { uses, direct };
  }

  /**
   * The functions a parameter may be when it is called (`handlers.createReadStream(p)`, `map(x)`):
   * what the function's callers in this file pass, through an object of defaults too. Only the
   * callee is resolved this way; the bytes and sinks a call passes still flow through summaries.
   */
  private injected(p: Extract<Val, { t: 'param' }>): V[] {
    if (!this.owns(p.fn)) return [];
    const injected = this.guarded(`injected@${p.fn.pos}:${p.index}:${p.path.join('.')}`, () => {
      let out: Val[] = [];
      for (const site of this.usesOf(p.fn).direct) {
        const arg = site.arguments[p.index];
        if (!arg || ts.isSpreadElement(arg)) continue;
        out = union(out, this.getPath(this.eval(arg), p.path, arg).filter((v) => v.t === 'fn' || v.t === 'fsfn' || v.t === 'modfn'));
      }
      return out;
    });
    return injected ?? [];
  }

  private bindingDeclaredBy(id: ts.Identifier): Binding | undefined {
    return this.scopes.declaredBy(id);
  }

  /** The value that parameter `paramIndex` of the function passed as argument `argIndex` of `call` receives. */
  callbackArgValues(call: ts.CallExpression | ts.NewExpression, argIndex: number, paramIndex: number): { known: boolean; vals: Val[] } {
    const key = `cb:${argIndex}:${paramIndex}`;
    const hit = this.callbackMemo.get(call)?.get(key);
    if (hit) return hit;
    const result = this.guarded(`${key}@${call.pos}`, () => {
      let known = false;
      let vals: Val[] = [];
      const callee = skipOuter(call.expression);
      const args = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
      const fs = this.evalV(callee);
      for (const f of fs) {
        const r = this.apiCallback(f, call, args, argIndex, paramIndex);
        if (r) {
          known = true;
          vals = union(vals, r);
        }
      }
      const name = fs.some((f) => f.t !== 'param') ? undefined : methodName(callee);
      for (const f of name === undefined ? [] : this.resolver.methodsNamed(this.fileName, name)) {
        const step = this.step(call, `called back by ${codeSpan(name!)}, a function of the project stored as ${codeSpan(name!)}`, { call: true });
        vals = union(vals, sourcesHandedBack(f, argIndex, paramIndex, call).map((v) => withStep(v, step)));
      }
      // `server.on('request', handler)` on a receiver we could not evaluate: the event name is enough.
      if (!known && ts.isPropertyAccessExpression(callee) && EVENT_METHODS.has(callee.name.text) && args[0] && ts.isStringLiteralLike(args[0])) {
        const r = serverEvent('unknown', args[0].text, paramIndex, call);
        if (r) {
          known = true;
          vals = r;
        }
      }
      return { known, vals };
    });
    // A callback reached again while its own values are being worked out: known, and nothing more.
    if (!result) return { known: true, vals: [] };
    let perCall = this.callbackMemo.get(call);
    if (!perCall) this.callbackMemo.set(call, (perCall = new Map()));
    perCall.set(key, result);
    return result;
  }

  private apiCallback(f: V, call: ts.CallExpression | ts.NewExpression, args: ts.NodeArray<ts.Expression>, argIndex: number, paramIndex: number): Val[] | undefined {
    const callee = skipOuter(call.expression);
    switch (f.t) {
      case 'fsfn': {
        const api = fsApi(f.flavor, f.name);
        if (!api) return [];
        if (api.kind === 'whole' && f.flavor === 'cb') return paramIndex === 1 ? [this.srcVal(call, callee, 'whole', f.name)] : [];
        if (api.kind === 'chunk' && f.flavor === 'cb') return paramIndex === 2 ? [this.srcVal(call, callee, 'chunk', f.name)] : [];
        return [];
      }
      case 'modfn': {
        const proto = SERVER_FACTORIES[f.mod]?.[f.name];
        if (proto) return serverEvent(proto, proto === 'net' || proto === 'tls' ? (proto === 'tls' ? 'secureConnection' : 'connection') : 'request', paramIndex, call) ?? [];
        return [];
      }
      case 'bound': {
        const r = f.recv;
        if (r.t === 'src' && r.src.form === 'stream' && EVENT_METHODS.has(f.name)) {
          const ev = args[0] && ts.isStringLiteralLike(args[0]) ? args[0].text : '';
          return ev === 'data' && argIndex === 1 && paramIndex === 0 ? [withStep(r, this.step(args[0]!, "each 'data' chunk of the stream"))] : [];
        }
        if (r.t === 'promise' && f.name === 'then') return argIndex === 0 && paramIndex === 0 ? (unwrap(r.of) as Val[]) : [];
        if (r.t === 'server' && EVENT_METHODS.has(f.name)) {
          const ev = args[0] && ts.isStringLiteralLike(args[0]) ? args[0].text : '';
          return serverEvent(r.proto, ev, paramIndex, call) ?? [];
        }
        return undefined;
      }
      case 'fn': {
        const callee = f.file as FileEvaluator;
        const step = this.step(call, `called back by ${codeSpan(callee.functionName(f.node))}`, { call: true });
        return callee.invocationArgs(f.node, argIndex, paramIndex).map((v) => withStep(v, step));
      }
      case 'mod':
        if (f.name === 'Promise' && ts.isNewExpression(call)) return [];
        return undefined;
      case 'require':
        return [];
      default:
        return undefined;
    }
  }

  /** The values local function `fn` passes, as argument `paramIndex`, when it invokes its own parameter `argIndex`. */
  invocationArgs(fn: FunctionLike, argIndex: number, paramIndex: number): Val[] {
    const p = fn.parameters[argIndex];
    if (!p || !ts.isIdentifier(p.name)) return [];
    const b = this.bindingDeclaredBy(p.name);
    if (!b) return [];
    let out: Val[] = [];
    for (const ref of this.scopes.refsOf(b)) {
      let e: ts.Node = ref;
      while (e.parent && ts.isParenthesizedExpression(e.parent)) e = e.parent;
      const parent = e.parent;
      if (parent && ts.isCallExpression(parent) && parent.expression === e) {
        const a = parent.arguments[paramIndex];
        if (a) out = union(out, this.eval(a).map((v) => withStep(v, this.step(parent, `passed to ${codeSpan(b.name)}`, { call: true }))));
      } else if (parent && (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(e as ts.Expression)) {
        out = union(out, this.callbackArgValues(parent, parent.arguments.indexOf(e as ts.Expression), paramIndex).vals);
      }
    }
    return out;
  }

  // ---- module exports -------------------------------------------------------------------------

  /** The value of export `name` of this module (`module.exports` for the whole CommonJS export). */
  exportValue(name: string): Val[] {
    const table = this.exports();
    const node = table.props.get(name);
    if (node) return this.declValue(node);
    if (table.whole) {
      const whole = this.eval(table.whole);
      if (name === 'module.exports' || name === 'default') return whole;
      return this.getPath(whole, [name], table.whole);
    }
    if (name === 'module.exports' || name === 'default') return [{ t: 'xmod', file: this }].filter(() => name === 'default' && table.props.size > 0) as Val[];
    return [];
  }

  private declValue(node: ts.Node): Val[] {
    if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) return [{ t: 'fn', node, file: this }];
    if (ts.isClassDeclaration(node)) return [{ t: 'cls', node, file: this }];
    if (ts.isIdentifier(node)) {
      const b = this.scopes.resolve(node) ?? this.bindingDeclaredBy(node);
      return b ? this.valueOf(b) : [];
    }
    if (ts.isExpression(node)) return this.eval(node);
    return [];
  }

  private exports(): { whole?: ts.Expression; props: Map<string, ts.Node> } {
    if (this.exportTable) return this.exportTable;
    const table: { whole?: ts.Expression; props: Map<string, ts.Node> } = { props: new Map() };
    const isExported = (n: ts.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = (n: ts.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    const visitCjs = (n: ts.Node): void => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const name = commonJsExport(n.left);
        if (name === WHOLE_MODULE) table.whole = n.right;
        else if (name !== undefined) table.props.set(name, n.right);
      }
      if (ts.isFunctionLike(n) && !ts.isSourceFile(n)) return;
      ts.forEachChild(n, visitCjs);
    };
    for (const st of this.sf.statements) {
      if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && isExported(st)) {
        if (isDefault(st)) table.props.set('default', st);
        if (st.name) table.props.set(st.name.text, st);
      } else if (ts.isVariableStatement(st) && isExported(st)) {
        for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) table.props.set(d.name.text, d.name);
      } else if (ts.isExportAssignment(st)) {
        if (st.isExportEquals) table.whole = st.expression;
        else table.props.set('default', st.expression);
      } else if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause) && !st.moduleSpecifier) {
        for (const s of st.exportClause.elements) table.props.set(s.name.text, s.propertyName ?? s.name);
      } else {
        visitCjs(st);
      }
    }
    this.exportTable = table;
    return table;
  }
}

function isAsync(fn: FunctionLike): boolean {
  return (ts.getModifiers(fn as ts.HasModifiers) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** `function () { … }.bind(this)`: inside, `this` is the enclosing one. */
function isBoundToThis(n: ts.Node): boolean {
  const p = n.parent;
  return ts.isFunctionExpression(n) && !!p && ts.isPropertyAccessExpression(p) && p.name.text === 'bind' && ts.isCallExpression(p.parent) && p.parent.arguments[0]?.kind === ts.SyntaxKind.ThisKeyword;
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunctionScope(n)) return n;
  return undefined;
}

function bytesOf(vals: Val[]): Val[] {
  return vals.filter((v) => v.t === 'src' || v.t === 'param');
}

/** `m` in `x.m` and `x['m']`: the name a method call is looked up by when `x` is unknown. */
function methodName(callee: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(skipOuter(callee.argumentExpression))) return (skipOuter(callee.argumentExpression) as ts.StringLiteralLike).text;
  return undefined;
}

/** `await` and `.then` see through promises. */
export function unwrap(vals: Val[]): Val[] {
  let out: Val[] = [];
  for (const v of vals) out = union(out, v.t === 'promise' ? unwrap(v.of) : [v]);
  return out;
}

function forEachReturn(body: ts.Node, f: (r: ts.ReturnStatement) => void): void {
  const visit = (n: ts.Node): void => {
    if (ts.isReturnStatement(n)) f(n);
    if (isFunctionScope(n) || ts.isClassLike(n)) return;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
}

/** Replaces `fn`'s symbolic parameters by what call site `c` passes. */
export function substitute(vals: Val[], fn: FunctionLike, c: ts.CallExpression | ts.NewExpression, caller: FileEvaluator, fnName: string): Val[] {
  let out: Val[] = [];
  for (const v of vals) {
    if (v.t === 'param' && v.fn === fn) {
      const arg = c.arguments?.[v.index];
      if (!arg || ts.isSpreadElement(arg)) continue;
      const argVals = caller.getPath(caller.eval(arg), v.path, arg).map((a) => withStep(a, caller.step(c, `passed to ${codeSpan(fnName)}`, { call: true })));
      out = union(out, argVals);
    } else if (v.t === 'promise') {
      out = union(out, [{ t: 'promise', of: substitute(v.of, fn, c, caller, fnName) }]);
    } else {
      out = union(out, [v]);
    }
  }
  return out;
}

/** What a server event handler's parameter `paramIndex` is. */
function serverEvent(proto: import('./values').ServerProto, event: string, paramIndex: number, origin: ts.Node): Val[] | undefined {
  const sink = (cls: Sink['cls'], transport = serverTransport(proto)): Val[] => [{ t: 'sink', sink: { cls, transport, guessed: false, origin } }];
  switch (event) {
    case 'request':
      return paramIndex === 1 ? sink('http-response') : [];
    case 'connection':
      return paramIndex === 0 ? sink('socket', proto === 'tls' || proto === 'https' || proto === 'http2' ? 'tcp' : serverTransport(proto)) : [];
    case 'secureConnection':
      return paramIndex === 0 ? sink('socket', 'tls') : [];
    case 'stream':
      return proto === 'http2' || proto === 'unknown' ? (paramIndex === 0 ? sink('http2-stream', 'http2') : []) : undefined;
    default:
      return undefined;
  }
}
