import ts from 'typescript';
import { Scopes, skipOuter, calleeCore, propertyNameText, isFunctionScope, within, wrapperOf, commonJsExport, itemsWithin, WHOLE_MODULE, type Binding } from './scope';
import { fsApi, moduleKind, moduleFunction, SERVER_FACTORIES, SOCKET_FACTORIES, serverTransport, SINK_PARAM_NAMES, UNCHANGED_ENCODINGS, UNCHANGED_METHODS, METADATA_PROPS, SAME_BYTES_PROPS, BYTE_VIEW_TYPES, SEND_METHODS, sinkClass } from './apis';
import { union, withStep, type FunctionLike, type Sink, type Source, type Step, type Store, type Val, type FileRef } from './values';
import { descriptorCopy, fileStores, ownKey, type FileStores, type MemberStore } from './stores';
import { appOf, frameworkGlobal, frameworkModule, frameworkType, generatorThis, routeMethods, sameBytesArg } from './frameworks';
import { isGuessableMethodName, sourcesHandedBack, sourcesReturned, type FnVal } from './methods';
import { codeSpan } from './codeSpan';
import { bytesWrapper, callTransport, clientFunction, clientModule, FORM_PART_METHODS, globalModule, isClientModule, REQUEST_CHAIN_METHODS } from './clients';

/** Finds the analysis of another file of the project from a specifier (relative, or through the module model: resolve.ts). */
export interface ModuleResolver {
  resolve(fromFile: string, spec: string): FileEvaluator | undefined;
  /** The analysis of a file already loaded, if any. */
  loaded(fileName: string): FileEvaluator | undefined;
  /** The project's functions stored under property name `name` (see methods.ts). */
  methodsNamed(fromFile: string, name: string): FnVal[];
  /** Whether the file (or a module it imports) names an HTTP client (clients.ts); absent: assume it may. */
  mayUseHttpClient?(fileName: string, text: string): boolean;
  /**
   * The modules a computed relative specifier may name (`require('./stores/' + type)`): the listed
   * files of the folder whose names start with `prefix`'s last segment and end with `suffix`.
   */
  resolveMatching?(fromFile: string, prefix: string, suffix: string): FileEvaluator[];
  /** The project's classes declared with `implements <name>` (a few at most). */
  implementersOf?(fromFile: string, name: string): Array<Extract<Val, { t: 'cls' }>>;
}

const EVENT_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
const EMITTER_METHODS = new Set([...EVENT_METHODS, 'emit']);
const CHAINABLE_SINK_METHODS = new Set(['status', 'set', 'type', 'header', 'setHeader', 'writeHead', 'code', 'headers', 'append', 'vary', 'attachment', 'cork', 'contentType', 'hijack', 'removeHeader', 'writeHeader', 'writeStatus']);
const STREAM_PASSTHROUGH_METHODS = new Set([...EVENT_METHODS, 'setEncoding', 'resume', 'pause']);
/** Array methods whose callback's first parameter is each element of the list. */
const ELEMENT_CALLBACK_METHODS = new Set(['forEach', 'map', 'flatMap', 'filter', 'find', 'findLast', 'some', 'every']);

const MAX_PARAM_PATH = 3;
/** Node's stream classes whose subclasses produce what they `push` (`class S extends Readable { _read() { … } }`). */
const READABLE_BASES = new Set(['stream.Readable', 'stream.Duplex']);
/**
 * How many questions may be open at once, across every file's evaluator: past it a question is
 * answered like a cycle (nothing more known along that path) and the analysis says it is
 * incomplete. Chains that long come from huge files (thousands of functions of the same names
 * calling each other); without the bound they exhausted the call stack and the file was skipped.
 */
export const MAX_OPEN_QUESTIONS = 500;
let openQuestions = 0;
let depthCuts = 0;

/** Thrown when a budgeted guess (withEvaluationBudget) has asked more questions than it may. */
class BudgetExceeded extends Error {}
/** Questions asked since the outermost budget began, and how many it allows (Infinity: no budget). */
let asked = 0;
let allowed = Infinity;

/**
 * Runs `guess` allowing it at most `questions` questions (nested budgets share the outermost one).
 * Past that it stops, and the answer is `otherwise`: a guess that would cost more than the
 * analysis of a file is not worth making (the name lookup: does some function of a huge project,
 * reached by its name alone, hand a file out?).
 */
export function withEvaluationBudget<T>(questions: number, guess: () => T, otherwise: T): T {
  if (allowed !== Infinity) return guess(); // inside an outer budget: that one decides
  asked = 0;
  allowed = questions;
  try {
    return guess();
  } catch (e) {
    if (e instanceof BudgetExceeded) return otherwise;
    throw e;
  } finally {
    allowed = Infinity;
  }
}
/**
 * Counts work a guess makes the project do besides asking questions (parsing a file it reaches,
 * building that file's scopes) against the running budget, in questions' worth; outside a budget it
 * is free. Without it a guess reaching into hundreds of files (a bundle's `set`, a compiler's
 * `identifier`) parsed most of a project inside its 50,000 questions before giving up. What was
 * parsed stays cached: past the budget, the next question stops the guess.
 */
export function chargeEvaluationBudget(questions: number): void {
  if (allowed !== Infinity) asked += questions;
}
/** How many times the bound cut a question short, ever (analyze.ts compares before and after). */
export function evaluationCuts(): number {
  return depthCuts;
}
/** The key of a parameter's path for the result of calling it (`getStream()` where `getStream` is a parameter). */
const CALLED = '()';
/** The path step for what iterating a value gives (`for await (const c of x)`, `yield* x`). */
const ITERATED = '[...]';

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
  private exportTable?: ExportTable;

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
    if (openQuestions >= MAX_OPEN_QUESTIONS) {
      depthCuts++;
      return undefined;
    }
    if (++asked > allowed) throw new BudgetExceeded();
    this.busy.add(question);
    openQuestions++;
    try {
      return answer();
    } finally {
      openQuestions--;
      this.busy.delete(question);
    }
  }

  private compute(e0: ts.Expression): V[] {
    const e = skipOuter(e0);
    if (e !== e0) return this.evalV(e);
    if (ts.isIdentifier(e)) return this.identifier(e);
    if (e.kind === ts.SyntaxKind.ThisKeyword) return this.thisValue(e);
    if (ts.isPropertyAccessExpression(e)) {
      // `module.exports` read as a value (passed to a helper, assigned into): this module's exports.
      if (e.name.text === 'exports' && ts.isIdentifier(e.expression) && e.expression.text === 'module' && !this.scopes.resolve(e.expression) && !isAssignedTo(e)) return [{ t: 'xmod', file: this }];
      const recv = this.evalV(e.expression);
      const out = this.getPropV(recv, e.name.text, e);
      return out.some((v) => v.t === 'sink') ? out : union(out as Val[], this.guessedSinkProp(recv, e)) as V[];
    }
    if (ts.isElementAccessExpression(e)) {
      const arg = skipOuter(e.argumentExpression);
      const key = ts.isStringLiteralLike(arg) ? arg.text : ts.isNumericLiteral(arg) ? Number(arg.text) : '*';
      // `arguments[1]` (Babel's defaults, hand-written variadic code): that parameter of the function.
      const owner = typeof key === 'number' ? this.argumentsOwner(e.expression) : undefined;
      if (owner) return [{ t: 'param', fn: owner, index: key as number, path: [] }];
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

  /** The bytes iterating `e` gives (a generator's yields, `for await` over it): what a stream built from it carries. */
  private iteratedBytes(e: ts.Expression, at: ts.Node, message: string): Val[] {
    return bytesOf(this.iterated(this.eval(e).filter((v) => v.t !== 'src' && v.t !== 'promise'))).map((v) => withStep(v, this.step(at, message)));
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
      // `global.datasource = new Local(dir)` … `export default global.datasource`: a holder every module shares.
      case 'global':
      case 'globalThis':
        return [this.globalObject];
      case 'Buffer':
      case 'Promise':
      case 'String':
      case 'Object':
        return [{ t: 'mod', name: id.text }];
      case 'Uint8Array':
      case 'Int8Array':
      case 'Uint8ClampedArray':
      case 'ArrayBuffer':
        return [{ t: 'mod', name: id.text }];
      default: {
        // `fetch`, the Web `FormData`, `Blob` (clients.ts); the web platform's `Response`, `ReadableStream` and a framework's auto-imports (frameworks.ts).
        const g = globalModule(id.text);
        if (g) return [{ t: 'mod', name: g }];
        const mod = frameworkGlobal(id.text);
        return mod ? [{ t: 'modfn', mod, name: id.text }] : [];
      }
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
      // `let { body } = options; … body = read()`: the path picks from the declaration's initializer, not from what is assigned later.
      const path = ts.isBinaryExpression(assignment) ? [] : b.path;
      const vals = this.closureArgs(appended ? this.srcOnly(rhs, assignment) : this.getPath(this.eval(rhs), path, rhs), b);
      // `x = x.replace(…)` on every path: the bytes held before are gone, transformed.
      if (b.path.length === 0 && !appended && this.isUnconditionalSelfTransform(b, rhs, vals)) out = out.filter((v) => v.t !== 'src');
      later = union(later, vals);
    }
    // `[stream, headers] = await fm.read(p)`: a destructuring assignment to the binding.
    for (const a of this.scopes.destructuredAssignmentsOf(b)) later = union(later, this.getPath(this.eval(a.rhs), [...a.path, ...b.path], a.rhs));
    out = union(out, later);
    out = union(out, this.chunkBuffers(b));
    out = union(out, this.byteCopies(b));
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
      const direct = this.usesOf(v.fn).direct;
      // Called by something the file does not show (a ReadableStream calling its source's `start`): the parameter stays symbolic.
      if (direct.length === 0) out = union(out, [v]);
      for (const site of direct) out = union(out, substitute([v], v.fn, site, this, name));
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
      // What a parameter yields when iterated (`yield* itr` in a wrapper generator): bound where it is called.
      else if (v.t === 'param' && v.path.length < MAX_PARAM_PATH) out = union(out, [{ t: 'param', fn: v.fn, index: v.index, path: [...v.path, ITERATED] }]);
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
        const via = this.readThroughParam(f, call, 'chunk');
        if (via && call.arguments[1] === ref) out = union(out, [via]);
        if (f.t !== 'fsfn') continue;
        const api = fsApi(f.flavor, f.name);
        if (!api || (api.kind !== 'chunk' && api.kind !== 'sync-chunk')) continue;
        const bufferArg = f.flavor === 'handle' ? 0 : 1;
        if (call.arguments[bufferArg] === ref) out = union(out, [{ t: 'src', src: this.source(call, callee, 'chunk', f.name), trail: [this.step(callee, 'reads a chunk of the file into a buffer')] }]);
      }
    }
    return out;
  }

  /**
   * `x.read(fd, buf, …)` / `x.readFile(p, cb)` where `x` is an object a parameter holds (`this.#fs`, kept
   * from the constructor's `options.fs`): a read of the file if the caller passes Node's fs there —
   * decided where the parameter is bound (substitute), so a database's `read` stays no source.
   */
  private readThroughParam(f: V, call: ts.CallExpression, form: 'chunk' | 'whole'): Extract<Val, { t: 'readVia' }> | undefined {
    if (f.t !== 'param' || f.path.length === 0 || f.path.length > MAX_PARAM_PATH) return undefined;
    const api = f.path[f.path.length - 1];
    if (typeof api !== 'string' || fsApi('cb', api)?.kind !== form) return undefined;
    return { t: 'readVia', fn: f.fn, index: f.index, path: f.path.slice(0, -1), call, form, api, file: this };
  }

  /** The file source a read through a parameter is, once a caller is seen to pass Node's fs there. */
  readViaSource(v: Extract<Val, { t: 'readVia' }>): Val {
    return this.srcVal(v.call, calleeCore(v.call.expression), v.form, v.api);
  }

  /**
   * A new byte buffer (`Buffer.alloc(n)`, `new Uint8Array(n)`) filled in a loop byte by byte from another
   * (`total[i] = chunk[j]`): it holds that one's bytes, unchanged — a hand-written concatenation.
   */
  private byteCopies(b: Binding): Val[] {
    const d = b.decl;
    if (b.path.length > 0 || !ts.isVariableDeclaration(d) || !d.initializer || !isByteAllocation(d.initializer) || !b.scope) return [];
    const copied: ts.Expression[] = [];
    const visit = (n: ts.Node, inLoop: boolean): void => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && inLoop) {
        const left = skipOuter(n.left);
        const right = skipOuter(n.right);
        if (ts.isElementAccessExpression(left) && ts.isIdentifier(skipOuter(left.expression)) && ts.isElementAccessExpression(right) && this.scopes.resolve(skipOuter(left.expression) as ts.Identifier) === b) copied.push(right.expression);
      }
      ts.forEachChild(n, (c) => visit(c, inLoop || ts.isIterationStatement(n, false)));
    };
    visit(b.scope, false);
    if (copied.length === 0) return [];
    return this.guarded(`copies@${d.pos}`, () => {
      let out: Val[] = [];
      for (const from of copied) out = union(out, bytesOf(this.eval(from)).map((v) => withStep(v, this.step(from, `copied byte by byte into ${codeSpan(b.name)}, unchanged`))));
      return out;
    }) ?? [];
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
    const kind = moduleKind(spec) ?? clientModule(spec) ?? (frameworkModule(spec) ? spec : undefined);
    if (kind) return [{ t: 'mod', name: kind }];
    const fn = moduleFunction(spec);
    if (fn) return [{ t: 'modfn', ...fn }];
    const target = this.resolver.resolve(this.fileName, spec);
    return target ? [{ t: 'xmod', file: target }] : [];
  }

  /**
   * A module chosen at run time by a relative specifier built from constants around a value
   * (`require('./stores/' + config.type)`, `import(`./codecs/${name}.js`)`): any of the modules the
   * folder holds whose names fit, as the module model lists them.
   */
  private computedRequire(spec: ts.Expression): Val[] {
    const pattern = specifierPattern(spec);
    if (!pattern || !this.resolver.resolveMatching) return [];
    return this.resolver.resolveMatching(this.fileName, pattern.prefix, pattern.suffix).map((file) => ({ t: 'xmod', file }));
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
        // A parameter's function called (a thunk bound at a call site): what it returns.
        if (v.t === 'fn' && name === CALLED) return (v.file as FileEvaluator).returnsOf(v.node);
        // `F.prototype` of a constructor function: its instances' (the file's prototype-style objects).
        if (v.t === 'fn' && name === 'prototype' && (ts.isFunctionDeclaration(v.node) || ts.isFunctionExpression(v.node))) return [(v.file as FileEvaluator).implicitInstance(v.node)];
        return name === 'bind' || name === 'call' || name === 'apply' ? [{ t: 'bound', recv: v, name }] : [];
      case 'with': {
        let out: Val[] = [];
        for (const st of v.stores) out = union(out, this.storeValues(st, name));
        return union(out, this.getPropV(v.base, key, at) as Val[]);
      }
      case 'modfn':
        // `import pump from 'pump'`: the package's export is the function itself.
        if (name === 'default') return [v];
        // A class or namespace of a module: `stream.Readable.from`.
        return [{ t: 'modfn', mod: `${v.mod}.${v.name}`, name }];
      case 'iter':
        return name === ITERATED ? unwrap(v.of) : [];
      case 'src':
        // A stream iterated (a parameter's `yield*` bound to it): its chunks, the same bytes.
        if (name === ITERATED) return v.src.form === 'stream' ? [v] : [];
        if (METADATA_PROPS.has(name)) return [];
        if (typeof key === 'number') return [];
        if (SAME_BYTES_PROPS.has(name)) return [withStep(v, this.step(at, `its ${codeSpan(name)}, the same bytes`))];
        return [{ t: 'bound', recv: v, name }];
      case 'promise':
        return name === 'then' || name === 'catch' || name === 'finally' ? [{ t: 'bound', recv: v, name }] : [];
      case 'readResult':
        return name === 'buffer' ? [{ t: 'src', src: v.src, trail: v.trail }] : [];
      case 'sink':
        return this.sinkProp(v.sink, name, v);
      case 'server':
      case 'emitter':
        return [{ t: 'bound', recv: v, name }];
      case 'param':
        // `data.toString('binary')` on a parameter: the same bytes, whatever the caller passes.
        if (UNCHANGED_METHODS.has(name)) return [{ t: 'bound', recv: v, name }];
        // Deeper paths than this are not followed (recursive walkers would grow them forever).
        return v.path.length >= MAX_PARAM_PATH ? [] : [{ t: 'param', fn: v.fn, index: v.index, path: [...v.path, key] }];
      case 'readVia':
        // `chunk.subarray(0, n)` of a read through a parameter: a range of the same bytes.
        return UNCHANGED_METHODS.has(name) ? [{ t: 'bound', recv: v, name }] : [];
      case 'obj':
        return (v.file as FileEvaluator).objectProp(v.node, name);
      case 'arr':
        // Iterated (a parameter's `for of` bound to an array): its elements.
        return (v.file as FileEvaluator).arrayElem(v.node, key === ITERATED ? '*' : key);
      case 'tuple':
        return typeof key === 'number' ? (v.items[key] ?? []) : key === '*' || key === ITERATED ? v.items.flat() : [];
      case 'form':
      case 'through':
      case 'app':
        return [{ t: 'bound', recv: v, name }];
      case 'xmod':
        return (v.file as FileEvaluator).exportValue(name);
      case 'global':
        return (v.file as FileEvaluator).globalProp(name);
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
      if (key < arr.elements.length) return el && !ts.isSpreadElement(el) && !ts.isOmittedExpression(el) ? this.eval(el) : [];
      return this.pushedInto(arr);
    }
    if (key !== '*') return [];
    let out: Val[] = [];
    for (const el of arr.elements) if (!ts.isOmittedExpression(el)) out = union(out, this.eval(ts.isSpreadElement(el) ? el.expression : el));
    return union(out, this.pushedInto(arr));
  }

  /**
   * What this file's `list.push(x)` / `list.unshift(x)` calls put into the array literal `arr` (`...xs`:
   * each element of `xs`). Only calls on a receiver named like where the literal is kept (`parts`,
   * `this._chunks`) are evaluated, and only to see that they hold this very array.
   */
  private pushedInto(arr: ts.ArrayLiteralExpression): Val[] {
    const name = keptUnder(arr);
    if (name === undefined) return [];
    if (!this.pushIndex) {
      this.pushIndex = new Map();
      for (const c of this.scopes.calls) {
        const callee = ts.isCallExpression(c) ? calleeCore(c.expression) : undefined;
        if (!callee || !ts.isPropertyAccessExpression(callee) || (callee.name.text !== 'push' && callee.name.text !== 'unshift') || !c.arguments?.length) continue;
        const recv = skipOuter(callee.expression);
        const key = ts.isIdentifier(recv) ? recv.text : ts.isPropertyAccessExpression(recv) ? recv.name.text : undefined;
        if (key !== undefined) (this.pushIndex.get(key) ?? this.pushIndex.set(key, []).get(key)!).push(c as ts.CallExpression);
      }
    }
    const calls = this.pushIndex.get(name);
    if (!calls) return [];
    return (
      this.guarded(`pushed@${arr.pos}`, () => {
        let out: Val[] = [];
        for (const c of calls) {
          const recv = (calleeCore(c.expression) as ts.PropertyAccessExpression).expression;
          if (!this.eval(recv).some((v) => v.t === 'arr' && v.node === arr)) continue;
          for (const a of c.arguments) {
            const vals = ts.isSpreadElement(a) ? this.getPath(this.eval(a.expression), ['*'], a) : this.eval(a);
            out = union(out, vals.map((v) => withStep(v, this.step(c, 'pushed into a list'))));
          }
        }
        return out;
      }) ?? []
    );
  }
  /** Push calls by the name of their receiver (`parts` in `parts.push(x)`, `_chunks` in `this._chunks.push(x)`). */
  private pushIndex?: Map<string, ts.CallExpression[]>;

  // ---- `this` and classes -------------------------------------------------------------------

  private thisValue(node: ts.Node): V[] {
    for (let n = node.parent; n; n = n.parent) {
      if (ts.isArrowFunction(n) || isBoundToThis(n)) continue;
      if (ts.isClassLike(n)) return [{ t: 'inst', node: n, file: this }, ...this.inheritedSink(n)];
      if (isFunctionScope(n)) {
        if (n.parent && ts.isClassLike(n.parent)) return [{ t: 'inst', node: n.parent, file: this }, ...this.inheritedSink(n.parent)];
        if (n.parent && ts.isObjectLiteralExpression(n.parent)) return [{ t: 'obj', node: n.parent, file: this }];
        // TypeScript's `this` parameter says what `this` is (`function (this: FastifyReply)`).
        const self = (n as FunctionLike).parameters[0];
        const typed = self && ts.isIdentifier(self.name) && self.name.text === 'this' ? this.typedSink(self)?.sink : undefined;
        // A prototype-style method: `this` is the file's (or its wrapper's) "instance"; or an instance of a class that exposes the function.
        return [this.implicitInstance(n), ...this.exposingClasses(n).map((c): Val => ({ t: 'inst', node: c, file: this })), ...this.receiverSinks(n), ...this.generatorContext(n), ...(typed ? [typed] : [])];
      }
    }
    return [this.implicitInstance(node)];
  }

  /** A generator function handed to a route method of a framework whose generator handlers get the context as `this` (Koa v1): that context. */
  private generatorContext(fn: ts.Node): Val[] {
    if (!ts.isFunctionExpression(fn) || !fn.asteriskToken) return [];
    let e: ts.Node = fn;
    while (e.parent && ts.isParenthesizedExpression(e.parent)) e = e.parent;
    const call = e.parent;
    if (!call || !ts.isCallExpression(call) || !call.arguments.includes(e as ts.Expression)) return [];
    const callee = calleeCore(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) return [];
    const method = callee.name.text;
    const apps = this.eval(callee.expression).filter((v): v is Extract<Val, { t: 'app' }> => v.t === 'app' && generatorThis(v.context) && routeMethods(v.context).includes(method));
    return apps.map((a): Val => ({ t: 'sink', sink: { cls: a.context, transport: 'unknown', guessed: false, origin: call } }));
  }

  /** The object `this` is, syntactically (its class, object literal, or the implicit instance): no evaluation, so the `this.x = …` index can use it. */
  private thisOwner(node: ts.Node): Val {
    for (let n = node.parent; n; n = n.parent) {
      if (ts.isArrowFunction(n) || isBoundToThis(n)) continue;
      if (ts.isClassLike(n)) return { t: 'inst', node: n, file: this };
      if (isFunctionScope(n)) {
        if (n.parent && ts.isClassLike(n.parent)) return { t: 'inst', node: n.parent, file: this };
        if (n.parent && ts.isObjectLiteralExpression(n.parent)) return { t: 'obj', node: n.parent, file: this };
        return this.implicitInstance(n);
      }
    }
    return this.implicitInstance(node);
  }

  /** `this` of a class that extends one of Node's sink classes (`class R extends http.ServerResponse`), directly or through the project's classes. */
  private readonly inheritedMemo = new Map<ts.ClassLikeDeclaration, Val[]>();
  inheritedSink(cls: ts.ClassLikeDeclaration): Val[] {
    const hit = this.inheritedMemo.get(cls);
    if (hit) return hit;
    const heritage = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    const out = (heritage && this.guarded(`inherits@${cls.pos}`, () => {
      let found: Val[] = [];
      for (const base of this.baseClasses(heritage.expression)) {
        const known = base.t === 'modfn' ? sinkClass(base.mod, base.name) : undefined;
        if (known) found = union(found, [{ t: 'sink', sink: { ...known, guessed: false, origin: cls } }]);
        else if (base.t === 'modfn' && base.mod === 'stream' && base.name === 'Writable') found = union(found, this.forwardedSinks(cls));
        else if (base.t === 'cls') found = union(found, (base.file as FileEvaluator).inheritedSink(base.node).map((v): Val => (v.t === 'sink' ? { t: 'sink', sink: { ...v.sink, origin: cls } } : v)));
      }
      return found;
    })) || [];
    this.inheritedMemo.set(cls, out);
    return out;
  }

  /**
   * A Writable subclass whose `_write(chunk, …)` sends its chunk to a sink (`this._res.write(chunk)`):
   * what is written or piped to an instance goes to that sink, so the instance is that sink.
   */
  private forwardedSinks(cls: ts.ClassLikeDeclaration): Val[] {
    let out: Val[] = [];
    for (const m of cls.members) {
      if (!ts.isMethodDeclaration(m) || !m.body || propertyNameText(m.name) !== '_write' || !m.parameters[0]) continue;
      for (const c of this.scopes.callsWithin(m.body)) {
        const callee = calleeCore(c.expression);
        const arg = c.arguments?.[0];
        if (!arg || !ts.isPropertyAccessExpression(callee)) continue;
        const method = callee.name.text;
        // `this.x` read straight off the class: evaluating `this` here would ask for this very answer.
        const recv = skipOuter(callee.expression);
        const held = ts.isPropertyAccessExpression(recv) && recv.expression.kind === ts.SyntaxKind.ThisKeyword ? (this.instancePropOnce(cls, recv.name.text) as Val[]) : this.eval(recv);
        const sinks = held.filter((v): v is Extract<Val, { t: 'sink' }> => v.t === 'sink' && SEND_METHODS[v.sink.cls].includes(method));
        if (!sinks.length || !this.eval(arg).some((v) => v.t === 'param' && v.fn === m && v.index === 0 && v.path.length === 0)) continue;
        out = union(out, sinks.map((v): Val => ({ t: 'sink', sink: { ...v.sink, origin: cls } })));
      }
    }
    return out;
  }

  /**
   * A class extending Node's Readable (or Duplex), directly or through the project's classes: the
   * file bytes its own methods push (`this.push(buf)` after an `fs.read` into `buf`, in `_read` or a
   * private helper) are what its instances stream — a hand-written file read stream.
   */
  private readonly pushedMemo = new Map<ts.ClassLikeDeclaration, Val[]>();
  pushedBytes(cls: ts.ClassLikeDeclaration): Val[] {
    const hit = this.pushedMemo.get(cls);
    if (hit) return hit;
    const out =
      this.guarded(`pushes@${cls.pos}`, () => {
        if (!this.isReadableClass(cls)) return [];
        let found: Val[] = [];
        for (const call of this.scopes.callsWithin(cls)) {
          const callee = skipOuter(call.expression);
          if (!ts.isCallExpression(call) || !call.arguments[0] || !ts.isPropertyAccessExpression(callee) || callee.name.text !== 'push') continue;
          if (skipOuter(callee.expression).kind !== ts.SyntaxKind.ThisKeyword || thisOwner(call) !== cls) continue;
          found = union(found, bytesOf(this.eval(call.arguments[0])).map((v) => withStep(v, this.step(call, 'pushed into the Readable'))));
        }
        return found;
      }) ?? [];
    this.pushedMemo.set(cls, out);
    return out;
  }

  private isReadableClass(cls: ts.ClassLikeDeclaration): boolean {
    return this.descendsFrom(cls, (v) => v.t === 'modfn' && READABLE_BASES.has(`${v.mod}.${v.name}`));
  }

  /** A function stored as a method of a sink (`res.download = function () { … this … }`): `this` is that sink when it is called so. */
  private receiverSinks(fn: ts.Node): Val[] {
    let e: ts.Node = fn;
    while (e.parent && ts.isParenthesizedExpression(e.parent)) e = e.parent;
    const a = e.parent;
    if (!a || !ts.isBinaryExpression(a) || a.right !== e || a.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return [];
    const left = skipOuter(a.left);
    if (!ts.isPropertyAccessExpression(left) || left.expression.kind === ts.SyntaxKind.ThisKeyword) return [];
    return this.eval(left.expression).filter((v) => v.t === 'sink' && !v.sink.guessed);
  }

  /** The instance `this` stands for outside classes: the file's, or its top-level wrapper function's. */
  implicitInstance(node: ts.Node): Val {
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

  /**
   * Field `name` of the instances of `container` (a class, or a function or object used as one).
   * Guarded: a field can be filled from another instance's fields (`Object.assign(this, other)`),
   * and a chain of those leads back to the field asked (it ran the stack out on real projects).
   */
  instanceProp(container: ts.Node, name: string): V[] {
    return this.guarded(`instance@${container.pos}:${name}`, () => this.instancePropOnce(container, name)) ?? [];
  }

  private instancePropOnce(container: ts.Node, name: string): V[] {
    let out: Val[] = [];
    if (ts.isClassLike(container)) {
      for (const m of container.members) {
        // TypeScript's parameter properties (`constructor(private readonly files: FileService)`).
        if (ts.isConstructorDeclaration(m)) {
          for (const p of m.parameters) {
            if (!ts.isParameterPropertyDeclaration(p, m) || !ts.isIdentifier(p.name) || p.name.text !== name) continue;
            const b = this.bindingDeclaredBy(p.name);
            if (b) out = union(out, this.valueOf(b));
          }
        }
        if (!m.name || propertyNameText(m.name) !== name) continue;
        if (ts.isMethodDeclaration(m)) out.push({ t: 'fn', node: m, file: this });
        else if (ts.isGetAccessorDeclaration(m)) out = union(out, this.returnsOf(m));
        else if (ts.isPropertyDeclaration(m) && m.initializer) out = union(out, this.eval(m.initializer));
      }
      // A field others write (`ref.value = body`); through a setter, its parameter takes the value instead.
      if (!container.members.some((m) => ts.isSetAccessorDeclaration(m) && m.name && propertyNameText(m.name) === name)) out = union(out, this.storedInto(container, name));
      const heritage = container.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      if (out.length === 0 && heritage) {
        // A class whose base leads back to it (`globalThis.Request = class extends globalThis.Request`)
        // asks instanceProp again, whose guard answers the cycle with nothing more.
        for (const base of this.baseClasses(heritage.expression)) if (base.t === 'cls') out = union(out, (base.file as FileEvaluator).instanceProp(base.node, name) as Val[]);
      }
    } else {
      // Prototype methods: `X.prototype.name = function …`; fields stored through an alias (`var self = this; self.fs = …`).
      out = union(out, this.prototypeMethods(container, name));
      out = union(out, this.storedInto(container, name));
    }
    // A sink kept in a field belongs to the object, which lives as long as the request it serves.
    for (const rhs of this.thisAssigned(container).get(name) ?? []) {
      out = union(out, this.eval(rhs).map((v): Val => (v.t === 'sink' ? { t: 'sink', sink: { ...v.sink, origin: container } } : v)));
    }
    // An EventEmitter subclass's own on/emit (it defines none of its own).
    if (out.length === 0 && EMITTER_METHODS.has(name) && ts.isClassLike(container) && this.isEmitterClass(container)) return [{ t: 'bound', recv: { t: 'emitter', node: container, file: this }, name }];
    // A field named like a sink (`this.socket`) is guessed to be one, unless the code shows where it comes from: a package's other object (a UDP socket).
    const guess = SINK_PARAM_NAMES[name];
    const assigned = this.thisAssigned(container).get(name) ?? [];
    const seen = assigned.length > 0 && assigned.every((rhs) => this.isPackageCall(rhs));
    if (guess && !seen && !out.some((v) => v.t === 'sink')) out = union(out, [{ t: 'sink', sink: { cls: guess, transport: 'unknown', guessed: true, origin: container } }]);
    return out;
  }

  /** `dgram.createSocket()`, `new Client()` from a package: a call or construction whose function comes from an import or require of a package. */
  private isPackageCall(e0: ts.Expression): boolean {
    const e = skipOuter(e0);
    if (!ts.isCallExpression(e) && !ts.isNewExpression(e)) return false;
    let root = calleeCore(e.expression);
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuter(root.expression);
    if (ts.isCallExpression(root)) return isPackageRequire(root);
    const b = ts.isIdentifier(root) ? this.scopes.resolve(root) : undefined;
    if (!b) return false;
    if (b.kind === 'import') return importSpecifierOf(b.decl)?.match(/^[./]/) === null;
    let init = ts.isVariableDeclaration(b.decl) ? b.decl.initializer : undefined;
    while (init && (ts.isPropertyAccessExpression(skipOuter(init)) || ts.isElementAccessExpression(skipOuter(init)))) init = (skipOuter(init) as ts.PropertyAccessExpression).expression;
    return !!init && ts.isCallExpression(skipOuter(init)) && isPackageRequire(skipOuter(init) as ts.CallExpression);
  }

  /** This file's view of the global object (one value, so unions dedupe it). */
  private readonly globalObject: Val = { t: 'global', file: this };

  /**
   * `global.x` / `globalThis.x`: what this file stores there (`global.x = v`, `globalThis.x ??= v`),
   * else the global of that name the model knows (`globalThis.fetch`). Stores made by other files
   * are not looked up: a module that keeps a singleton on the global object reads it back itself.
   */
  globalProp(name: string): Val[] {
    const stored = this.storesInto((v) => v.t === 'global' && v.file === this, name, this.sf, () => []);
    if (stored.length) return stored;
    const g = globalModule(name);
    if (g) return [{ t: 'mod', name: g }];
    const mod = frameworkGlobal(name);
    return mod ? [{ t: 'modfn', mod, name }] : [];
  }

  /** What code stores into field `name` of a holder object (a class's instances, an object literal): `ref.value = body`. */
  private storedInto(holder: ts.Node, name: string): Val[] {
    const holds = (v: Val) => (v.t === 'inst' || v.t === 'obj' || v.t === 'through') && v.node === holder;
    const out = this.storesInto(holds, name, holder, () => this.callsMayStoreInto(holder));
    return name === '*' && ts.isObjectLiteralExpression(holder) ? union(out, this.storedUnderAnyName(holder)) : out;
  }

  /**
   * Any property stored into an object literal through the variable holding it (`const o = { a };
   * o.file = f;`), for a read of any of its properties (`Object.entries(o)`, `o[key]`).
   */
  private storedUnderAnyName(holder: ts.ObjectLiteralExpression): Val[] {
    const b = this.variableHolding(holder);
    if (!b) return [];
    let out: Val[] = [];
    for (const [key, list] of fileStores(this.scopes).byKey) {
      if (key === '*') continue;
      for (const s of list) {
        const h = skipOuter(s.holder);
        if (ts.isIdentifier(h) && h.text === b.name && this.scopes.resolve(h) === b) out = union(out, this.eval(s.assignment.right));
      }
    }
    return out;
  }
  /** Per holder (a node, or this file for its exports): what the calls that may store into it store there, by key. */
  private readonly callStores = new Map<ts.Node | 'exports', { byKey: Map<string, Store[]>; unkeyed: Store[] }>();

  /**
   * The calls that can store into `holder` (before evaluating them): those passing, as an argument
   * or the root of one (`C.prototype`), the variable holding the object; for other holders (classes,
   * prototype-style objects), `this`, an alias of `this`, or a class or function declared here.
   * The latter list is the same for every such holder: both are worked out in one pass over the
   * file's calls (a pass per holder cost a large file's calls times its classes).
   */
  private callsMayStoreInto(holder: ts.Node): ts.CallExpression[] {
    const index = (this.storeCallIndex ??= this.indexStoreCalls());
    if (!ts.isObjectLiteralExpression(holder)) return index.anyHolder;
    const objectVar = this.variableHolding(holder);
    return objectVar ? (index.byRoot.get(objectVar) ?? []) : [];
  }
  private storeCallIndex?: { anyHolder: ts.CallExpression[]; byRoot: Map<Binding, ts.CallExpression[]> };

  private indexStoreCalls(): { anyHolder: ts.CallExpression[]; byRoot: Map<Binding, ts.CallExpression[]> } {
    const anyHolder: ts.CallExpression[] = [];
    const byRoot = new Map<Binding, ts.CallExpression[]>();
    for (const c of fileStores(this.scopes).calls) {
      let any = false;
      for (const a of c.arguments) {
        let root = skipOuter(a);
        while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuter(root.expression);
        if (root.kind === ts.SyntaxKind.ThisKeyword) {
          any = true;
          continue;
        }
        const b = ts.isIdentifier(root) ? this.scopes.resolve(root) : undefined;
        if (!b) continue;
        const list = byRoot.get(b);
        if (!list) byRoot.set(b, [c]);
        else if (list[list.length - 1] !== c) list.push(c);
        if (b.kind === 'function' || b.kind === 'class') any = true;
        else {
          const init = ts.isVariableDeclaration(b.decl) && b.decl.initializer && skipOuter(b.decl.initializer);
          if (init && (init.kind === ts.SyntaxKind.ThisKeyword || ts.isFunctionExpression(init) || ts.isClassExpression(init) || ts.isCallExpression(init))) any = true;
        }
      }
      if (any) anyHolder.push(c);
    }
    return { anyHolder, byRoot };
  }

  /** The variable an object literal is the initial value of (`var o = {}`). */
  private variableHolding(obj: ts.ObjectLiteralExpression): Binding | undefined {
    let e: ts.Node = obj;
    while (e.parent && ts.isParenthesizedExpression(e.parent)) e = e.parent;
    const d = e.parent;
    return d && ts.isVariableDeclaration(d) && d.initializer === e && ts.isIdentifier(d.name) ? this.bindingDeclaredBy(d.name) : undefined;
  }

  // ---- stores (stores.ts finds them; which object each fills is evaluated here) ---------------

  /**
   * What this file stores under property `name` of the objects `holds` accepts: member stores by
   * name, copies under computed keys, and the calls that store into their arguments.
   */
  private storesInto(holds: (v: Val) => boolean, name: string, holderKey: ts.Node | 'exports', calls: () => ts.CallExpression[]): Val[] {
    const stores = fileStores(this.scopes);
    let out: Val[] = [];
    for (const s of stores.byKey.get(name) ?? []) if (this.eval(s.holder).some(holds)) out = union(out, this.eval(s.assignment.right));
    for (const s of stores.copies) if (this.eval(s.holder).some(holds)) out = union(out, this.getPath(this.eval(s.copyOf!), [name], s.assignment));
    let byCalls = this.callStores.get(holderKey);
    if (!byCalls) {
      byCalls = { byKey: new Map(), unkeyed: [] };
      for (const c of calls()) {
        for (const e of this.storesAt(c)) {
          if (!e.holder.some(holds)) continue;
          if (e.key === undefined) byCalls.unkeyed.push(e);
          else (byCalls.byKey.get(e.key) ?? byCalls.byKey.set(e.key, []).get(e.key)!).push(e);
        }
      }
      this.callStores.set(holderKey, byCalls);
    }
    for (const e of byCalls.byKey.get(name) ?? []) out = union(out, this.storeValues(e, name));
    for (const e of byCalls.unkeyed) out = union(out, this.storeValues(e, name));
    return out;
  }

  /** The value a store gives property `name` (nothing when it stores under another name). */
  storeValues(e: Store, name: string): Val[] {
    if (e.copies) {
      const copied = this.getPath(e.copies, [name], this.sf);
      if (!e.getter) return copied;
      let out: Val[] = [];
      for (const g of copied) if (g.t === 'fn') out = union(out, (g.file as FileEvaluator).returnsOf(g.node));
      return out;
    }
    if (e.key !== undefined && e.key !== name) return [];
    if (e.vals) return e.vals;
    let out: Val[] = [];
    for (const d of e.descs ?? []) {
      if (d.t !== 'obj' || (e.key === undefined && ownKey(d.node) !== name)) continue;
      const ev = d.file as FileEvaluator;
      out = union(out, ev.objectProp(d.node, 'value'));
      for (const g of ev.objectProp(d.node, 'get')) if (g.t === 'fn') out = union(out, (g.file as FileEvaluator).returnsOf(g.node));
    }
    return out;
  }

  private readonly storesMemo = new Map<ts.Node, Array<Store & { holder: Val[] }>>();
  /**
   * The stores call `c` makes into its arguments: `Object.defineProperty`, `Object.assign`,
   * `Object.defineProperties`, and what a function of the project does to its parameters (its summary).
   */
  storesAt(c: ts.CallExpression): Array<Store & { holder: Val[] }> {
    const hit = this.storesMemo.get(c);
    if (hit) return hit;
    const out = this.guarded(`stores@${c.pos}`, () => {
      const args = c.arguments;
      let found: Array<Store & { holder: Val[] }> = [];
      for (const f of this.evalV(calleeCore(c.expression))) {
        if (f.t !== 'modfn' || f.mod !== 'Object') continue;
        if (f.name === 'defineProperty' && args.length >= 3) found.push(this.defineStore(args[0]!, args[1]!, args[2]!));
        else if (f.name === 'assign' && args.length >= 2) found.push({ holder: this.eval(args[0]!), copies: args.slice(1).reduce<Val[]>((o, a) => union(o, this.eval(a)), []) });
        else if (f.name === 'defineProperties' && args[1] && ts.isObjectLiteralExpression(skipOuter(args[1]))) {
          const holder = this.eval(args[0]!);
          for (const p of (skipOuter(args[1]) as ts.ObjectLiteralExpression).properties) {
            const key = p.name && propertyNameText(p.name);
            if (key !== undefined && ts.isPropertyAssignment(p)) found.push({ holder, key, descs: this.eval(p.initializer) });
          }
        }
      }
      for (const f of this.calleeFunctions(c.expression)) {
        const fev = f.file as FileEvaluator;
        const name = fev.functionName(f.node);
        for (const e of fev.summaryStores(f.node)) found.push(instantiateStore(e, f.node, c, this, name));
      }
      return found;
    });
    if (!out) return [];
    this.storesMemo.set(c, out);
    return out;
  }

  /** `Object.defineProperty(o, key, desc)`: under a literal key, copying `src[k]` under a computed one, or under the descriptor's own `key`. */
  private defineStore(o: ts.Expression, key: ts.Expression, desc: ts.Expression): Store & { holder: Val[] } {
    const holder = this.eval(o);
    const k = skipOuter(key);
    if (ts.isStringLiteralLike(k)) return { holder, key: k.text, descs: this.eval(desc) };
    const copy = descriptorCopy(desc, key, this.scopes);
    if (copy) return { holder, copies: this.eval(copy.from), getter: copy.getter };
    return { holder, descs: this.eval(desc) };
  }

  private readonly summaryMemo = new Map<FunctionLike, Array<Store & { holder: Val[] }>>();
  private storesByPosition?: (body: ts.Node) => { named: MemberStore[]; copies: MemberStore[]; calls: ts.CallExpression[] };
  /**
   * What function `fn` stores into its parameters (or copies from them), over its symbolic
   * parameters: a call instantiates these with its arguments (esbuild's `__copyProps(to, from)`,
   * tsc's `__createBinding(o, m, k)`, Babel's `_defineProperties(target, props)`).
   */
  summaryStores(fn: FunctionLike): Array<Store & { holder: Val[] }> {
    const hit = this.summaryMemo.get(fn);
    if (hit) return hit;
    const out = this.guarded(`summary@${fn.pos}`, () => {
      if (!fn.body || !this.owns(fn)) return [];
      const within = (this.storesByPosition ??= storesByPosition(fileStores(this.scopes)))(fn.body);
      const ownParam = (vals: Val[] | undefined) => !!vals?.some((v) => v.t === 'param' && v.fn === fn);
      const found: Array<Store & { holder: Val[] }> = [];
      for (const s of within.named) {
        if (!this.declaredWithin(s.holder, fn)) continue;
        const holder = this.eval(s.holder);
        if (ownParam(holder)) found.push({ holder, key: s.key, vals: this.eval(s.assignment.right) });
      }
      for (const s of within.copies) {
        if (!this.declaredWithin(s.holder, fn) && !this.declaredWithin(s.copyOf!, fn)) continue;
        const holder = this.eval(s.holder);
        const copies = this.eval(s.copyOf!);
        if (ownParam(holder) || ownParam(copies)) found.push({ holder, copies });
      }
      for (const c of within.calls) {
        for (const e of this.storesAt(c)) if (ownParam(e.holder) || ownParam(e.copies)) found.push(e);
      }
      return found;
    });
    if (!out) return [];
    this.summaryMemo.set(fn, out);
    return out;
  }

  /** Whether the variable an expression starts from (`to` in `to.prototype`) is declared in `fn` (a parameter or a local). */
  private declaredWithin(e: ts.Expression, fn: FunctionLike): boolean {
    let root = skipOuter(e);
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuter(root.expression);
    if (!ts.isIdentifier(root)) return false;
    const b = this.scopes.resolve(root);
    return !!b && within(b.decl, fn);
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
              const self = this.thisOwner(left);
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
    const callee = calleeCore(c.expression);
    const args = c.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    if (ts.isCallExpression(c) && callee.kind === ts.SyntaxKind.ImportKeyword) {
      const a = args[0];
      return a ? [{ t: 'promise', of: ts.isStringLiteralLike(a) ? this.requireValue(a.text) : this.computedRequire(a) }] : [];
    }
    let out: Val[] = [];
    const fs = this.evalV(callee);
    for (const f of fs) out = union(out, this.apply(f, c, callee, args));
    const name = fs.some((f) => f.t !== 'param') ? undefined : methodName(callee);
    if (name === 'then' && args[0]) {
      // A thenable the evaluator cannot see (a bluebird chain, an injected client): resolves to what the callback returns.
      return [{ t: 'promise', of: this.thenResults(args[0]) }];
    }
    if (name !== undefined && isGuessableMethodName(name, c)) {
      for (const f of this.resolver.methodsNamed(this.fileName, name)) {
        const step = this.step(callee, `calls ${codeSpan(name)} on an object passed in: a function of the project stored as ${codeSpan(name)}`, { call: true });
        out = union(out, sourcesReturned(f, c, this).map((v) => withStep(v, step)));
      }
    }
    out = union(out, this.reducedFrom(callee, args, c));
    out = union(out, this.mappedFrom(callee, args, c));
    // `this._open()` in a class: a subclass may override `_open` (here, or in another file of the project).
    for (const o of this.overridesCalled(callee)) {
      const step = this.step(callee, `calls ${codeSpan(o.name)}, which a subclass overrides`, { call: true });
      out = union(out, (o.own ? this.apply(o.fn, c, callee, args) : sourcesReturned(o.fn, c, this)).map((v) => withStep(v, step)));
    }
    return out;
  }

  /**
   * `list.reduce(f, initial)`: over an empty list the result is `initial` itself, so a stream
   * threaded through a list of transforms (`transforms.reduce((s, t) => s.pipe(t), reader)`) is the
   * reader unchanged when the list may be empty — unless the list is a non-empty array literal.
   */
  private reducedFrom(callee: ts.Expression, args: ts.NodeArray<ts.Expression>, c: ts.CallExpression | ts.NewExpression): Val[] {
    if (!ts.isPropertyAccessExpression(callee) || (callee.name.text !== 'reduce' && callee.name.text !== 'reduceRight') || args.length !== 2) return [];
    if (this.eval(callee.expression).some((v) => v.t === 'arr' && v.node.elements.length > 0)) return [];
    const step = this.step(c, `the initial value of ${codeSpan(callee.name.text)} over a list that may be empty, unchanged`);
    return this.eval(args[1]!).map((v) => withStep(v, step));
  }

  /**
   * `list.map(f)` / `list.flatMap(f)`: a list of what `f` returns (its parameter takes the list's
   * elements: callbackArgValues), so `values.map((v) => Buffer.isBuffer(v) ? v : Buffer.from(v))` keeps the buffers.
   */
  private mappedFrom(callee: ts.Expression, args: ts.NodeArray<ts.Expression>, c: ts.CallExpression | ts.NewExpression): Val[] {
    if (!ts.isPropertyAccessExpression(callee) || (callee.name.text !== 'map' && callee.name.text !== 'flatMap') || !args[0] || ts.isNewExpression(c)) return [];
    let returned: Val[] = [];
    for (const f of this.eval(args[0])) if (f.t === 'fn') returned = union(returned, (f.file as FileEvaluator).returnsOf(f.node));
    if (callee.name.text === 'flatMap') returned = union(returned, this.getPath(returned, ['*'], c));
    const items = bytesOf(returned).map((v) => withStep(v, this.step(c, `returned for each element by ${codeSpan(callee.name.text)}`)));
    return items.length ? [{ t: 'tuple', items: [items] }] : [];
  }

  /**
   * For `this.m(…)` in a class: the methods `m` of its subclasses (class hierarchy analysis), in
   * this file (`own`: followed whole) and in the project's other files (the name index: only the
   * file sources they hand out are kept).
   */
  private overridesCalled(callee: ts.Expression): Array<{ fn: FnVal; name: string; own: boolean }> {
    if (!ts.isPropertyAccessExpression(callee)) return [];
    // On `this` always; on another instance only when its class has no body for the method (abstract, injected by type).
    if (skipOuter(callee.expression).kind !== ts.SyntaxKind.ThisKeyword && this.evalV(callee).some((v) => v.t === 'fn' && !!v.node.body)) return [];
    const name = callee.name.text;
    const out: Array<{ fn: FnVal; name: string; own: boolean }> = [];
    for (const v of this.evalV(callee.expression)) {
      if (v.t !== 'inst' || !ts.isClassLike(v.node)) continue;
      const base = v.node;
      for (const sub of (v.file as FileEvaluator).subclassesOf(base)) {
        for (const m of sub.members) if (ts.isMethodDeclaration(m) && m.body && m.name && propertyNameText(m.name) === name) out.push({ fn: { t: 'fn', node: m, file: v.file }, name, own: true });
      }
      for (const f of this.resolver.methodsNamed(this.fileName, name)) {
        const cls = f.node.parent;
        if (ts.isMethodDeclaration(f.node) && cls && ts.isClassLike(cls) && (f.file as FileEvaluator).extendsClass(cls, base)) out.push({ fn: f, name, own: false });
      }
    }
    return out;
  }

  /** Whether a class extends Node's EventEmitter (directly or through the project's classes). */
  private isEmitterClass(cls: ts.ClassLikeDeclaration): boolean {
    return this.descendsFrom(cls, (v) => (v.t === 'modfn' && v.mod === 'events' && v.name === 'EventEmitter') || (v.t === 'mod' && v.name === 'events'));
  }

  /**
   * Request and response over an EventEmitter: a listener's parameters receive what the `emit` calls
   * of that event on the same emitter pass (`on('read', (p, cb) => …)` gets `emit('read', path, done)`'s
   * arguments), and a callback passed to `emit` receives what the listeners pass when they call it.
   * Known once the emitter's emits of that event are seen (then a parameter's name is not a guess).
   */
  private emitterCallback(e: Extract<Val, { t: 'emitter' }>, method: string, call: ts.CallExpression | ts.NewExpression, args: ts.NodeArray<ts.Expression>, argIndex: number, paramIndex: number): Val[] | undefined {
    const ev = args[0] && ts.isStringLiteralLike(args[0]) ? args[0].text : undefined;
    if (ev === undefined || argIndex === 0) return undefined;
    const files = e.file === this ? [this] : [this, e.file as FileEvaluator];
    if (EVENT_METHODS.has(method) && argIndex === 1) {
      const emits = files.flatMap((f) => f.eventCalls(e, ev, 'emit'));
      if (emits.length === 0) return undefined;
      let out: Val[] = [];
      for (const { call: emit, file } of emits) {
        const a = emit.arguments[paramIndex + 1];
        if (a && !ts.isSpreadElement(a)) out = union(out, file.eval(a).map((v) => withStep(v, file.step(emit, `emitted as '${ev}'`))));
      }
      return out;
    }
    if (method === 'emit') {
      let out: Val[] = [];
      for (const { call: on, file } of files.flatMap((f) => f.eventCalls(e, ev, 'on'))) {
        const handler = on.arguments[1];
        for (const h of handler ? file.calleeFunctions(handler) : []) out = union(out, (h.file as FileEvaluator).invocationArgs(h.node, argIndex - 1, paramIndex).map((v) => withStep(v, file.step(on, `answered by a listener of '${ev}'`))));
      }
      return out;
    }
    return undefined;
  }

  /** The calls of this file that emit (`kind` emit) or listen to (`on`, `once`…) event `name` of emitter `e`. */
  eventCalls(e: Extract<Val, { t: 'emitter' }>, name: string, kind: 'emit' | 'on'): Array<{ call: ts.CallExpression; file: FileEvaluator }> {
    const out: Array<{ call: ts.CallExpression; file: FileEvaluator }> = [];
    for (const c of this.scopes.calls) {
      const callee = ts.isCallExpression(c) ? skipOuter(c.expression) : undefined;
      if (!callee || !ts.isPropertyAccessExpression(callee) || !(kind === 'emit' ? callee.name.text === 'emit' : EVENT_METHODS.has(callee.name.text))) continue;
      const first = c.arguments?.[0];
      if (!first || !ts.isStringLiteralLike(first) || first.text !== name) continue;
      if (this.evalV(callee).some((v) => v.t === 'bound' && v.recv.t === 'emitter' && v.recv.node === e.node)) out.push({ call: c as ts.CallExpression, file: this });
    }
    return out;
  }

  /** The classes of this file that extend `base` (directly or through others). */
  subclassesOf(base: ts.ClassLikeDeclaration): ts.ClassLikeDeclaration[] {
    // Asked for every `this.m(…)` evaluated in a class: once per class, not once per call (a bundle's thousands of classes).
    let subs = this.subclassMemo.get(base);
    if (!subs) {
      this.classList ??= collectClasses(this.sf);
      subs = this.classList.filter((c) => c !== base && this.extendsClass(c, base));
      this.subclassMemo.set(base, subs);
    }
    return subs;
  }
  private readonly subclassMemo = new Map<ts.ClassLikeDeclaration, ts.ClassLikeDeclaration[]>();
  private classList?: ts.ClassLikeDeclaration[];

  /** Whether class `cls` of this file extends `base` (of any file), directly or through other classes. */
  extendsClass(cls: ts.ClassLikeDeclaration, base: ts.ClassLikeDeclaration): boolean {
    return this.descendsFrom(cls, (v) => v.t === 'cls' && v.node === base);
  }

  /**
   * Whether class `cls` of this file has a base that `isBase` accepts, directly or through the
   * project's classes (in any file), at most 9 levels up: a class whose bases lead back to it ends there.
   */
  private descendsFrom(cls: ts.ClassLikeDeclaration, isBase: (base: Val) => boolean, depth = 0): boolean {
    const heritage = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (!heritage || depth > 8) return false;
    return this.baseClasses(heritage.expression).some((v) => isBase(v) || (v.t === 'cls' && (v.file as FileEvaluator).descendsFrom(v.node, isBase, depth + 1)));
  }

  /** What a class extends: `extends Base`, also a CommonJS module whose export is the class (`extends require('./base')`). */
  private baseClasses(e: ts.Expression): Val[] {
    let out: Val[] = [];
    for (const v of this.eval(e)) out = union(out, v.t === 'xmod' ? (v.file as FileEvaluator).exportValue('module.exports').filter((w) => w.t !== 'xmod') : [v]);
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
        return !a ? [] : ts.isStringLiteralLike(a) ? this.requireValue(a.text) : this.computedRequire(a);
      }
      case 'fsfn':
        return this.fsCall(f.flavor, f.name, c, callee, args);
      case 'modfn':
        return this.modCall(f.mod, f.name, c, args);
      case 'mod':
        if (f.name === 'form-data') return [{ t: 'form', node: c, file: this }];
        // `new (require('events'))()`, `import EventEmitter from 'events'`.
        if (f.name === 'events' && ts.isNewExpression(c)) return [{ t: 'emitter', node: c, file: this }];
        if (isClientModule(f.name) || bytesWrapper(f.name, undefined)) return this.clientCall(f.name, undefined, c, args);
        if (f.name === 'String' && args[0]) return bytesOf(this.eval(args[0]));
        // `new Uint8Array(buf)`, `new Uint8Array(ab, offset, length)`: a view of the same bytes.
        if (BYTE_VIEW_TYPES.has(f.name) && ts.isNewExpression(c) && args[0]) return this.srcOnly(args[0], c, `viewed as a ${f.name}, bytes unchanged`);
        if (f.name === 'Promise' && ts.isNewExpression(c) && args[0]) {
          let of: Val[] = [];
          for (const ex of this.eval(args[0])) if (ex.t === 'fn') of = union(of, (ex.file as FileEvaluator).invocationArgs(ex.node, 0, 0));
          return [{ t: 'promise', of }];
        }
        {
          // A framework whose module itself makes the application: `new Koa()`, `koa()`, `new Router()`.
          const context = appOf(f.name, 'default');
          if (context) return [{ t: 'app', context }];
        }
        return [];
      case 'fn':
        // `new F()` of a constructor function: an instance of the file's (or its wrapper's) prototype-style objects.
        if (ts.isNewExpression(c)) return ts.isFunctionDeclaration(f.node) || ts.isFunctionExpression(f.node) ? [(f.file as FileEvaluator).implicitInstance(f.node)] : [];
        return (f.file as FileEvaluator).callFunction(f.node, c, this);
      case 'xmod':
        return (f.file as FileEvaluator).exportValue('module.exports').reduce<Val[]>((out, w) => union(out, w.t === 'xmod' ? [] : this.apply(w, c, callee, args)), []);
      case 'cls': {
        if (!ts.isNewExpression(c)) return [];
        // An instance of a Readable subclass carries the bytes its methods push (a file-backed stream).
        let pushed = ts.isClassLike(f.node) ? (f.file as FileEvaluator).pushedBytes(f.node) : [];
        // What it pushes through its constructor's parameters (an fs handed in as `options.fs`): bound by this `new`.
        const ctor = pushed.length ? f.node.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body) : undefined;
        if (ctor) pushed = bytesOf(substitute(pushed, ctor, c, this, (f.file as FileEvaluator).functionName(ctor)));
        return [{ t: 'inst', node: f.node, file: f.file }, ...pushed.map((v) => withStep(v, this.step(c, 'a stream of what its class pushes')))];
      }
      case 'bound':
        return this.boundCall(f, c, args);
      case 'param': {
        // What calling a parameter gives (a thunk: `getStream()`), symbolic until a call site binds the parameter.
        const called: Val[] = f.path.length < MAX_PARAM_PATH && !ts.isNewExpression(c) ? [{ t: 'param', fn: f.fn, index: f.index, path: [...f.path, CALLED] }] : [];
        return this.injected(f).reduce<Val[]>((out, g) => union(out, this.apply(g, c, callee, args)), called);
      }
      default:
        return [];
    }
  }

  private fsCall(flavor: 'cb' | 'promise' | 'handle', name: string, c: ts.CallExpression | ts.NewExpression, callee: ts.Expression, args: ts.NodeArray<ts.Expression>): Val[] {
    const api = fsApi(flavor, name);
    if (!api) return [];
    // The callback comes after the path (or descriptor): a parameter passed as the path is a path.
    const hasCallback = args.slice(1).some((a) => ts.isFunctionExpression(a) || ts.isArrowFunction(a) || this.eval(a).some((v) => v.t === 'fn' || v.t === 'param'));
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
    if (isClientModule(mod) || bytesWrapper(mod, name)) return this.clientCall(mod, name, c, args);
    const proto = SERVER_FACTORIES[mod]?.[name];
    if (proto) return [{ t: 'server', proto }];
    const web = this.webCall(mod, name, c, args);
    if (web) return web;
    if (mod === 'events' && name === 'EventEmitter' && ts.isNewExpression(c)) return [{ t: 'emitter', node: c, file: this }];
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
      // Over an iterable (a generator's yields, an array of buffers): the bytes it yields.
      return union(this.srcOnly(args[0], c, 'wrapped in a stream by Readable.from'), this.iteratedBytes(args[0], c, 'yielded into a stream by Readable.from'));
    }
    if (mod === 'Object' && (name === 'values' || name === 'entries') && args[0]) {
      // Any property's value (`Object.entries(params).forEach(([key, value]) => …)`): a list of them, or of [key, value] pairs.
      const vals = this.getPath(this.eval(args[0]).filter((v) => v.t === 'obj' || v.t === 'inst' || v.t === 'with' || v.t === 'param'), ['*'], c);
      return [{ t: 'tuple', items: [name === 'values' ? vals : [{ t: 'tuple', items: [[], vals] }]] }];
    }
    if (mod === 'Object' && name === 'assign') {
      // The merged object has every source object's properties (which one wins is not modelled).
      let out: Val[] = [];
      for (const a of args) out = union(out, this.eval(a).filter((v) => v.t === 'obj' || v.t === 'xmod' || v.t === 'inst' || v.t === 'mod' || v.t === 'with'));
      return out;
    }
    if (mod === 'Object' && name === 'create' && args[0]) {
      // An object whose prototype is `P` has P's properties; with Node's `X.prototype` it is an X (express's `res`).
      let out: Val[] = [];
      for (const p of this.eval(args[0])) {
        const known = p.t === 'modfn' && p.name === 'prototype' ? sinkClassOf(p.mod) : undefined;
        if (known) out = union(out, [{ t: 'sink', sink: { ...known, guessed: false, origin: c } }]);
        else if (p.t === 'obj' || p.t === 'inst' || p.t === 'with') out = union(out, [p]);
      }
      return out;
    }
    if (mod === 'Object' && name === 'defineProperty' && args.length >= 3) {
      const store = this.defineStore(args[0]!, args[1]!, args[2]!);
      return [{ t: 'with', base: store.holder, stores: [storeOnly(store)] }];
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
    if (BYTE_VIEW_TYPES.has(mod) && name === 'from' && args[0]) return this.srcOnly(args[0], c, `copied into a ${mod}, bytes unchanged`);
    if (mod === 'Buffer' && (name === 'from' || name === 'concat') && args[0]) {
      // Same bytes in a new Buffer, or embedded verbatim among others.
      const vals = name === 'from' ? this.eval(args[0]) : this.getPath(this.eval(args[0]), ['*'], args[0]);
      return bytesOf(vals).map((v) => withStep(v, this.step(c, name === 'from' ? 'copied into a new Buffer, bytes unchanged' : 'embedded verbatim in a larger body')));
    }
    return [];
  }

  /**
   * The web platform's streams and framework helpers that rewrap bytes: each gives the same bytes
   * (`Readable.toWeb(s)`, a `ReadableStream` enqueueing a file stream's chunks), or an application
   * (`new Hono()`). Undefined when the call is none of these.
   */
  private webCall(mod: string, name: string, c: ts.CallExpression | ts.NewExpression, args: ts.NodeArray<ts.Expression>): Val[] | undefined {
    const context = appOf(mod, name);
    if (context) return [{ t: 'app', context }];
    const same = sameBytesArg(mod, name);
    if (same !== undefined) return args[same] ? this.srcOnly(args[same]!, c, `wrapped by ${codeSpan(name)}, bytes unchanged`) : [];
    if ((mod === 'stream.Readable' || mod === 'stream.Duplex') && (name === 'toWeb' || name === 'fromWeb')) {
      return args[0] ? this.srcOnly(args[0], c, name === 'toWeb' ? 'as a web ReadableStream, bytes unchanged' : 'as a Node stream, bytes unchanged') : [];
    }
    if (!frameworkModule(mod) && mod !== 'stream/web' && mod !== 'node:stream/web') return mod.endsWith('.ReadableStream') && name === 'from' && args[0] ? union(this.srcOnly(args[0], c, 'as a web ReadableStream, bytes unchanged'), this.iteratedBytes(args[0], c, 'yielded into a web ReadableStream')) : undefined;
    if (name === 'ReadableStream' && ts.isNewExpression(c)) return args[0] ? this.enqueued(args[0], c) : [];
    return undefined;
  }

  /** A web `ReadableStream` built over an underlying source: the bytes its `start`/`pull` enqueue (`controller.enqueue(chunk)`). */
  private enqueued(source: ts.Expression, at: ts.Node): Val[] {
    let out: Val[] = [];
    for (const method of ['start', 'pull']) {
      for (const f of this.getPath(this.eval(source), [method], source)) {
        if (f.t !== 'fn') continue;
        // The controller is the method's first parameter, used there or kept in a variable (`controller = c`) for a 'data' listener.
        const fev = f.file as FileEvaluator;
        for (const call of fev.scopes.calls) {
          const access = calleeCore(call.expression);
          if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(access) || access.name.text !== 'enqueue' || !call.arguments[0]) continue;
          if (!fev.eval(access.expression).some((v) => v.t === 'param' && v.fn === f.node && v.index === 0 && v.path.length === 0)) continue;
          out = union(out, bytesOf(fev.eval(call.arguments[0])).map((v) => withStep(v, fev.step(call, 'enqueued into a web ReadableStream, bytes unchanged'))));
        }
      }
    }
    return out.map((v) => withStep(v, this.step(at, 'as a web ReadableStream')));
  }

  /**
   * A call of an HTTP client or of a wrapper of bytes (clients.ts): the client again (`axios.create()`),
   * a request to write or pipe into (`got.stream.put(url)`), or the bytes wrapped unchanged (`new Blob([b])`).
   * The bytes a call uploads are the flows' business (flows.ts).
   */
  private clientCall(mod: string, name: string | undefined, c: ts.CallExpression | ts.NewExpression, args: ts.NodeArray<ts.Expression>): Val[] {
    const wrap = bytesWrapper(mod, name);
    if (wrap) {
      const a = args[wrap.arg];
      if (!a) return [];
      const vals = wrap.elements ? this.getPath(this.eval(a), ['*'], a) : this.eval(a);
      return bytesOf(vals).map((v) => withStep(v, this.step(c, `wrapped by ${codeSpan(name ?? mod)}, bytes unchanged`)));
    }
    const fn = clientFunction(mod, name);
    if (fn?.returns === 'client') return [{ t: 'mod', name: mod }];
    if (fn?.returns === 'request') return [{ t: 'sink', sink: { cls: 'http-request', transport: callTransport(c, fn, (id) => this.constantOf(id)), guessed: false, origin: c } }];
    return [];
  }

  /** Whether this file's calls may be an HTTP client's (it, or a module it imports, names one). */
  mayUseHttpClient(): boolean {
    return (this.usesClient ??= this.resolver.mayUseHttpClient?.(this.fileName, this.tree.text) ?? true);
  }
  private usesClient?: boolean;

  /** The initializer of the `const` an identifier names, if that is all it is. */
  constantOf(id: ts.Identifier): ts.Expression | undefined {
    const b = this.scopes.resolve(id);
    return b && b.kind === 'const' && b.path.length === 0 && ts.isVariableDeclaration(b.decl) ? b.decl.initializer : undefined;
  }

  private boundCall(f: Bound, c: ts.CallExpression | ts.NewExpression, args: ts.NodeArray<ts.Expression>): Val[] {
    const r = f.recv;
    if (r.t === 'src' || r.t === 'param' || r.t === 'readVia') {
      if (f.name === 'toString') {
        const enc = args[0] && skipOuter(args[0]);
        if (!enc || (ts.isStringLiteralLike(enc) && UNCHANGED_ENCODINGS.has(enc.text.toLowerCase()))) return [withStep(r, this.step(c, 'decoded as text, bytes unchanged'))];
        return [];
      }
      if (f.name === 'slice' || f.name === 'subarray') return [withStep(r, this.step(c, 'a byte range of it'))];
      if (r.t !== 'src') return [];
      if (r.src.form === 'stream' && f.name === 'pipe' && args[0]) return this.pipedInto([r], args[0], c);
      if (r.src.form === 'stream' && STREAM_PASSTHROUGH_METHODS.has(f.name)) return [r];
      return [];
    }
    if (r.t === 'promise') {
      if (f.name === 'then' && args[0]) return [{ t: 'promise', of: this.thenResults(args[0]) }];
      return [r];
    }
    if (r.t === 'form' && f.name === 'pipe' && args[0]) return this.pipedInto((r.file as FileEvaluator).formParts(r.node), args[0], c);
    if (r.t === 'sink' && (CHAINABLE_SINK_METHODS.has(f.name) || (r.sink.cls === 'http-request' && REQUEST_CHAIN_METHODS.has(f.name)))) return [r];
    // `app.get(…).post(…)`, `app.basePath('/api')`, `app.route('/x', sub)`: the same application.
    if (r.t === 'app' && (routeMethods(r.context).includes(f.name) || f.name === 'basePath' || f.name === 'route')) return [r];
    // `fs.createReadStream.bind(fs)` is the same function.
    if ((r.t === 'fsfn' || r.t === 'fn') && f.name === 'bind') return [r];
    // `f.call(t, a)`, `f.apply(t, [a])`: a call of `f`, whose arguments argumentValues lines up.
    if (r.t === 'fn' && (f.name === 'call' || f.name === 'apply')) return (r.file as FileEvaluator).callFunction(r.node, c, this);
    if (r.t === 'fsfn' && f.name === 'call') return this.fsCall(r.flavor, r.name, c, skipOuter(c.expression), ts.factory.createNodeArray(args.slice(1)));
    return [];
  }

  // ---- streams built from other streams ----------------------------------------------------

  /** What a stream holds when piped (`x.pipe(res)`, `pipeline(x, res)`): a multipart form, its parts. */
  streamed(vals: Val[]): Val[] {
    let out: Val[] = [];
    for (const v of vals) {
      if (v.t === 'form') out = union(out, (v.file as FileEvaluator).formParts(v.node));
      // A PassThrough (or identity Transform) fed elsewhere (`pipeline(file, pass)`, `file.pipe(pass)`): what it is fed.
      else if (v.t === 'through') out = union(out, [v, ...(v.file as FileEvaluator).throughInputs(v.node)]);
      else out = union(out, [v]);
    }
    return out;
  }

  private readonly inputsMemo = new Map<ts.Node, Val[]>();
  /** The bytes piped into an identity through stream created at `node` (`x.pipe(t)`, `pipeline(x, t)`), unchanged. */
  throughInputs(node: ts.CallExpression | ts.NewExpression): Val[] {
    const hit = this.inputsMemo.get(node);
    if (hit) return hit;
    const out =
      this.guarded(`inputs@${node.pos}`, () => {
        if (!this.isIdentity(node)) return [];
        const isThis = (e: ts.Expression) => this.eval(e).some((v) => v.t === 'through' && v.node === node);
        let found: Val[] = [];
        for (const c of this.scopes.calls) {
          const callee = calleeCore(c.expression);
          const args = c.arguments ?? ts.factory.createNodeArray<ts.Expression>();
          const step = (at: ts.Node) => this.step(at, 'through a stream that passes each chunk on unchanged');
          if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'pipe' && args[0] && isThis(args[0])) {
            found = union(found, bytesOf(this.streamed(this.eval(callee.expression))).map((v) => withStep(v, step(c))));
          } else if (args.length >= 2 && (ts.isIdentifier(callee) || (ts.isPropertyAccessExpression(callee) && callee.name.text === 'pipeline'))) {
            const i = args.findIndex((a, k) => k > 0 && isThis(a));
            if (i > 0 && this.eval(callee).some((f) => f.t === 'modfn' && f.name === 'pipeline')) found = union(found, bytesOf(this.streamed(this.eval(args[i - 1]!))).map((v) => withStep(v, step(c))));
          }
        }
        return found;
      }) ?? [];
    this.inputsMemo.set(node, out);
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
        if (!ts.isPropertyAccessExpression(callee) || !FORM_PART_METHODS.has(callee.name.text) || !part) continue;
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
    for (const v of this.evalV(callee)) {
      if (v.t === 'fn') out.push(v);
      // `f.call(t, a)`, `f.apply(t, args)`: a call of `f` (argumentValues lines the arguments up).
      else if (v.t === 'bound' && v.recv.t === 'fn' && (v.name === 'call' || v.name === 'apply')) out.push(v.recv);
      // `new C(a)`: its constructor (what the constructor does with its parameters closes at the `new`).
      else if (v.t === 'cls' && ts.isNewExpression(callee.parent) && callee.parent.expression === callee) {
        const ctor = v.node.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
        if (ctor) out.push({ t: 'fn', node: ctor, file: v.file });
      }
      else if (v.t === 'xmod') for (const w of (v.file as FileEvaluator).exportValue('module.exports')) if (w.t === 'fn') out.push(w);
    }
    return out;
  }

  /** What a call of local function `fn` returns at call site `c` (evaluated in `caller`). */
  callFunction(fn: FunctionLike, c: ts.CallExpression | ts.NewExpression, caller: FileEvaluator): Val[] {
    if (ts.isNewExpression(c)) return [];
    const name = this.functionName(fn);
    const generator = !!(fn as ts.FunctionLikeDeclarationBase).asteriskToken;
    const produced = generator ? this.yieldsOf(fn) : this.withStoresInto(fn, this.returnsOf(fn));
    const returns = produced.map((v) => withStep(v, caller.step(c, `${generator ? 'yielded' : 'returned'} by ${codeSpan(`${name}()`)}`, { call: true })));
    const substituted = substitute(returns, fn, c, caller, name);
    if (generator) return [{ t: 'iter', of: substituted }];
    return isAsync(fn) ? [{ t: 'promise', of: unwrap(substituted) as Val[] }] : substituted;
  }

  /** A returned parameter that the function stored into (`return to` after filling `to`): with those stores. */
  private withStoresInto(fn: FunctionLike, returned: Val[]): Val[] {
    if (!returned.some((v) => v.t === 'param' && v.fn === fn && v.path.length === 0)) return returned;
    const stores = this.summaryStores(fn);
    if (stores.length === 0) return returned;
    return returned.map((v): Val => {
      if (v.t !== 'param' || v.fn !== fn || v.path.length > 0) return v;
      const into = stores.filter((e) => e.holder.some((h) => h.t === 'param' && h.fn === fn && h.index === v.index && h.path.length === 0));
      return into.length ? { t: 'with', base: [v], stores: into.map(storeOnly) } : v;
    });
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
      // `yield* inner`: whatever iterating `inner` gives (another generator's yields, a stream's chunks).
      if (ts.isYieldExpression(n) && n.expression) out = union(out, n.asteriskToken ? this.iterated(this.eval(n.expression)).map((v) => withStep(v, this.step(n, 'yielded one by one (`yield*`)'))) : this.eval(n.expression));
      if (isFunctionScope(n) || ts.isClassLike(n)) return;
      ts.forEachChild(n, visit);
    };
    if (fn.body) ts.forEachChild(fn.body, visit);
    return out;
  }

  functionName(fn: FunctionLike): string {
    if (ts.isConstructorDeclaration(fn)) return `new ${fn.parent.name?.text ?? 'class'}`;
    if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name) return fn.name.getText(this.sf);
    if (fn.parent && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
    if (fn.parent && ts.isPropertyAssignment(fn.parent)) return fn.parent.name.getText(this.sf);
    if (fn.parent && ts.isBinaryExpression(fn.parent) && ts.isPropertyAccessExpression(fn.parent.left)) return fn.parent.left.name.text;
    return 'function';
  }

  // ---- arguments --------------------------------------------------------------------------

  /**
   * What call `c` passes as argument `index` of the function it invokes: `f(a)`, `(0, f)(a)`,
   * `f.call(t, a)`, `f.apply(t, [a])`, and for `f.apply(t, arguments)` what the enclosing function
   * itself received there. Undefined when nothing is passed there or a spread hides which it is.
   */
  argumentValues(c: ts.CallExpression | ts.NewExpression, index: number): Val[] | undefined {
    const args = c.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    const mode = this.forwarding(c);
    if (mode === 'apply') {
      const list = args[1] && skipOuter(args[1]);
      if (!list) return undefined;
      const owner = this.argumentsOwner(list);
      if (owner) return [{ t: 'param', fn: owner, index, path: [] }];
      if (!ts.isArrayLiteralExpression(list)) return undefined;
      const el = list.elements.slice(0, index + 1).some(ts.isSpreadElement) ? undefined : list.elements[index];
      return el && !ts.isOmittedExpression(el) ? this.eval(el) : undefined;
    }
    const at = mode === 'call' ? index + 1 : index;
    const spread = args.findIndex(ts.isSpreadElement);
    if (spread !== -1 && spread <= at) {
      // `(...args) => f(...args)`: the spread, last, of the enclosing function's rest parameter passes its arguments on in place.
      const rest = spread === args.length - 1 ? this.restParameter((args[spread] as ts.SpreadElement).expression) : undefined;
      return rest && [{ t: 'param', fn: rest.fn, index: rest.index + at - spread, path: [] }];
    }
    const a = args[at];
    return a ? this.eval(a) : undefined;
  }

  /** `f.call(…)` / `f.apply(…)` on a function (not a method that merely has that name). */
  private forwarding(c: ts.CallExpression | ts.NewExpression): 'call' | 'apply' | undefined {
    const callee = calleeCore(c.expression);
    if (!ts.isCallExpression(c) || !ts.isPropertyAccessExpression(callee)) return undefined;
    const name = callee.name.text;
    if (name !== 'call' && name !== 'apply') return undefined;
    return this.evalV(callee.expression).some((v) => v.t === 'fn' || v.t === 'fsfn' || (v.t === 'param' && v.path.length === 0)) ? name : undefined;
  }

  /** `args` of `(...args) =>` (or `arguments`): the function and the argument position its list starts at. */
  private restParameter(e0: ts.Expression): { fn: FunctionLike; index: number } | undefined {
    const e = skipOuter(e0);
    const owner = this.argumentsOwner(e);
    if (owner) return { fn: owner, index: 0 };
    const b = ts.isIdentifier(e) ? this.scopes.resolve(e) : undefined;
    const d = b?.kind === 'param' && b.path.length === 0 ? b.decl : undefined;
    if (!d || !ts.isParameter(d) || !d.dotDotDotToken) return undefined;
    const fn = d.parent as FunctionLike;
    return { fn, index: fn.parameters.indexOf(d) };
  }

  /** For `arguments` (not a variable of that name): the function whose arguments it is (arrows have none of their own). */
  private argumentsOwner(e0: ts.Expression): FunctionLike | undefined {
    const e = skipOuter(e0);
    if (!ts.isIdentifier(e) || e.text !== 'arguments' || this.scopes.resolve(e)) return undefined;
    for (let n = e.parent; n; n = n.parent) if (isFunctionScope(n) && !ts.isArrowFunction(n)) return n as FunctionLike;
    return undefined;
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
    // A parameter typed with a package's type (`c: Context` from hono, `res: http.ServerResponse`) is what the type says,
    // unless its callers pass the sink already: the type names a class, not the transport (an https response is an http.ServerResponse).
    const typed = b.path.length === 0 ? this.typedSink(d) : undefined;
    if (typed?.sink && !own.some((v) => v.t === 'sink')) out = union(out, [typed.sink]);
    // Typed with a class of the project (injected by a framework: `constructor(private files: FileService)`): an instance of it.
    if (b.path.length === 0) out = union(out, this.typedInstances(d));
    if (!known && !typed && b.path.length === 0) {
      const cls = SINK_PARAM_NAMES[b.name];
      // `h` is only hapi's toolkit in a (request, h) handler.
      if (cls && (cls !== 'hapi-toolkit' || index === 1)) out.push({ t: 'sink', sink: { cls, transport: 'unknown', guessed: true, origin: d } });
    }
    if (out.length > 1) out = out.map((v) => withStep(v, this.step(d, `received as ${codeSpan(b.name)}`)));
    return out;
  }

  /**
   * What a parameter's type annotation says it is, when the type comes from a package: a sink (Node's
   * classes, a framework's context or reply type), or not one (then its name is not taken as a guess).
   * Undefined without a type, or with a type the analysis cannot place.
   */
  private typedSink(d: ts.ParameterDeclaration): { sink?: Val } | undefined {
    const t = d.type;
    if (!t || !ts.isTypeReferenceNode(t)) return undefined;
    const placed = this.typeName(t.typeName);
    if (!placed) return undefined;
    for (const v of placed.vals) {
      if (v.t !== 'modfn') continue;
      const cls = frameworkType(v.mod, v.name);
      const node = cls ? { cls, transport: 'unknown' as const } : sinkClass(v.mod, v.name);
      if (node) return { sink: { t: 'sink', sink: { ...node, guessed: false, origin: d } } };
    }
    return placed.fromPackage ? {} : undefined;
  }

  /** A parameter typed with a class of the project (`files: FileService`): an instance of that class. */
  private typedInstances(d: ts.ParameterDeclaration): Val[] {
    const t = d.type;
    if (!t || !ts.isTypeReferenceNode(t)) return [];
    const name = t.typeName;
    let vals: Val[];
    if (ts.isIdentifier(name)) {
      const b = this.scopes.resolve(name);
      vals = !b ? [] : b.kind === 'class' ? [{ t: 'cls', node: b.decl as ts.ClassDeclaration, file: this }] : b.kind === 'import' ? this.valueOf(b) : [];
    } else vals = this.typeName(name)?.vals ?? [];
    const classes = vals.filter((v): v is Extract<Val, { t: 'cls' }> => v.t === 'cls');
    // Typed with an interface (`@Inject(TOKEN) private driver: StorageDriver`): whichever class of the project
    // implements it may be injected (a provider chosen by configuration).
    if (!classes.length && !vals.length && this.resolver?.implementersOf) {
      const iface = ts.isIdentifier(name) ? name.text : name.right.text;
      classes.push(...this.resolver.implementersOf(this.fileName, iface));
    }
    return classes.map((v): Val => ({ t: 'inst', node: v.node, file: v.file }));
  }

  /** The values a type's name stands for (`Context`, `http.ServerResponse`), and whether it is imported from a module the engine models. */
  private typeName(n: ts.EntityName): { vals: Val[]; fromPackage: boolean } | undefined {
    if (ts.isQualifiedName(n)) {
      const left = this.typeName(n.left);
      return left && { vals: this.getPath(left.vals, [n.right.text], n), fromPackage: left.fromPackage };
    }
    const b = this.scopes.resolve(n);
    if (!b || b.kind !== 'import') return undefined;
    const spec = importSpecifierOf(b.decl);
    if (spec === undefined) return undefined;
    // Only a module the engine models says what a value is not (a path alias looks like a package name).
    return { vals: this.valueOf(b), fromPackage: moduleKind(spec) !== undefined || frameworkModule(spec) !== undefined };
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
      else {
        const site = invocationOf(e);
        if (site) direct.push(site);
      }
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
        const arg = this.argumentValues(site, p.index);
        if (arg) out = union(out, this.getPath(arg, p.path, site).filter((v) => v.t === 'fn' || v.t === 'fsfn' || v.t === 'modfn'));
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
      const callee = calleeCore(call.expression);
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
      for (const f of name === undefined || !isGuessableMethodName(name, call) ? [] : this.resolver.methodsNamed(this.fileName, name)) {
        const step = this.step(call, `called back by ${codeSpan(name!)}, a function of the project stored as ${codeSpan(name!)}`, { call: true });
        vals = union(vals, sourcesHandedBack(f, argIndex, paramIndex, call).map((v) => withStep(v, step)));
      }
      // `list.map((item) => …)`, `forEach`, `filter`…, `Object.entries(o).forEach(([k, v]) => …)`: the first parameter takes each element.
      if (argIndex === 0 && paramIndex === 0 && ts.isPropertyAccessExpression(callee) && ELEMENT_CALLBACK_METHODS.has(callee.name.text)) {
        vals = union(vals, this.getPath(this.eval(callee.expression), ['*'], call).map((v) => withStep(v, this.step(call, `each element, by ${codeSpan(callee.name.text)}`))));
      }
      for (const o of this.overridesCalled(callee)) {
        const step = this.step(call, `called back by ${codeSpan(o.name)}, which a subclass overrides`, { call: true });
        const r = o.own ? this.apiCallback(o.fn, call, args, argIndex, paramIndex) ?? [] : sourcesHandedBack(o.fn, argIndex, paramIndex, call);
        vals = union(vals, r.map((v) => withStep(v, step)));
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
    const callee = calleeCore(call.expression);
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
        if (r.t === 'emitter') return this.emitterCallback(r, f.name, call, args, argIndex, paramIndex);
        if (r.t === 'app') {
          // `app.get(path, handler…)`: each handler's first parameter is the framework's context.
          if (!routeMethods(r.context).includes(f.name) || paramIndex !== 0) return [];
          // A generator handler (Koa v1) gets the context as `this`; its first parameter is `next`.
          const handler = args[argIndex] && skipOuter(args[argIndex]!);
          if (handler && ts.isFunctionExpression(handler) && handler.asteriskToken && generatorThis(r.context)) return [];
          return [{ t: 'sink', sink: { cls: r.context, transport: 'unknown', guessed: false, origin: call } }];
        }
        if (r.t === 'server' && EVENT_METHODS.has(f.name)) {
          const ev = args[0] && ts.isStringLiteralLike(args[0]) ? args[0].text : '';
          return serverEvent(r.proto, ev, paramIndex, call) ?? [];
        }
        return undefined;
      }
      case 'param': {
        // `x.read(fd, buf, …, (err, n, chunk) => …)` on an object a parameter holds: the chunk, if the caller passes fs.
        const via = ts.isCallExpression(call) && argIndex === args.length - 1 ? this.readThroughParam(f, call, paramIndex === 2 ? 'chunk' : 'whole') : undefined;
        if (via && paramIndex === (via.form === 'chunk' ? 2 : 1)) return [via];
        // `stream.on('data', cb)` on a parameter: each chunk is that parameter's bytes, whatever the caller passes.
        const method = f.path[f.path.length - 1];
        const ev = args[0] && ts.isStringLiteralLike(args[0]) ? args[0].text : '';
        if (typeof method !== 'string' || !EVENT_METHODS.has(method)) return undefined;
        if (ev !== 'data' || argIndex !== 1) return undefined;
        return paramIndex === 0 ? [{ ...f, path: f.path.slice(0, -1) }] : [];
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
      const site = invocationOf(e);
      if (site) {
        const a = this.argumentValues(site, paramIndex);
        if (a) out = union(out, a.map((v) => withStep(v, this.step(site, `passed to ${codeSpan(b.name)}`, { call: true }))));
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
    const from = table.from.get(name) ?? (name === 'module.exports' || name === 'default' || !table.stars.length ? undefined : table.stars);
    if (from) return this.guarded(`export@${name}`, () => this.reexported(from, name)) ?? [];
    // `Object.defineProperty(exports, name, …)`, `exports[k] = src[k]`, `__exportStar(m, exports)`.
    const stored = this.storesInto((v) => v.t === 'xmod' && v.file === this, name, 'exports', () => fileStores(this.scopes).calls.filter(namesExports));
    if (stored.length) return stored;
    if (table.whole) {
      const whole = this.eval(table.whole);
      if (name === 'module.exports' || name === 'default') return whole;
      return this.getPath(whole, [name], table.whole);
    }
    if (name === 'module.exports' || name === 'default') return [{ t: 'xmod', file: this }].filter(() => name === 'default' && table.props.size > 0) as Val[];
    return [];
  }

  /** `export { name } from './m'`, `export * from './m'`, `export * as name from './m'`: the other module's export. */
  private reexported(from: Array<{ spec: string; name?: string }>, name: string): Val[] {
    let out: Val[] = [];
    for (const r of from) {
      const mod = this.requireValue(r.spec);
      out = union(out, r.name === undefined ? mod : r.name === '*' ? this.getPath(mod, [name], this.sf) : this.getPath(mod, [r.name], this.sf));
    }
    return out;
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

  private exports(): ExportTable {
    if (this.exportTable) return this.exportTable;
    const table: ExportTable = { props: new Map(), from: new Map(), stars: [] };
    const isExported = (n: ts.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = (n: ts.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    const visitCjs = (n: ts.Node): void => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const name = commonJsExport(n.left);
        if (name === WHOLE_MODULE) table.whole = n.right;
        // tsc's placeholders (`exports.a = exports.b = void 0;`) declare names defined later, maybe by `Object.defineProperty`.
        else if (name !== undefined && !isVoidPlaceholder(n.right)) table.props.set(name, n.right);
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
      } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) && !st.isTypeOnly) {
        // A barrel module (a workspace package's index.ts): what it re-exports is the other module's.
        const spec = st.moduleSpecifier.text;
        if (!st.exportClause) table.stars.push({ spec, name: '*' });
        else if (ts.isNamespaceExport(st.exportClause)) table.from.set(st.exportClause.name.text, [{ spec }]);
        else for (const s of st.exportClause.elements) if (!s.isTypeOnly) table.from.set(s.name.text, [{ spec, name: (s.propertyName ?? s.name).text }]);
      } else {
        visitCjs(st);
      }
    }
    this.exportTable = table;
    return table;
  }
}

/**
 * The call that invokes the function expression `e` (a function value, maybe parenthesised):
 * `e(…)`, compiled `(0, e)(…)`, `e.call(t, …)` and `e.apply(t, …)`.
 */
function invocationOf(e0: ts.Node): ts.CallExpression | undefined {
  let e = e0;
  const p0 = e.parent;
  if (p0 && ts.isBinaryExpression(p0) && p0.operatorToken.kind === ts.SyntaxKind.CommaToken && p0.right === e) {
    e = p0;
    while (e.parent && ts.isParenthesizedExpression(e.parent)) e = e.parent;
  }
  const p = e.parent;
  if (p && ts.isCallExpression(p) && p.expression === e) return p;
  if (e === e0 && p && ts.isPropertyAccessExpression(p) && p.expression === e && (p.name.text === 'call' || p.name.text === 'apply')) {
    const call = p.parent;
    if (call && ts.isCallExpression(call) && call.expression === p) return call;
  }
  return undefined;
}

/** A call that may store into the module's exports: it passes `exports` or `module.exports`. */
function namesExports(c: ts.CallExpression): boolean {
  return c.arguments.some((a) => {
    const e = skipOuter(a);
    return (ts.isIdentifier(e) && e.text === 'exports') || (ts.isPropertyAccessExpression(e) && e.name.text === 'exports' && ts.isIdentifier(e.expression) && e.expression.text === 'module');
  });
}

function isAssignedTo(e: ts.Expression): boolean {
  let n: ts.Node = e;
  while (n.parent && ts.isParenthesizedExpression(n.parent)) n = n.parent;
  return ts.isBinaryExpression(n.parent) && n.parent.left === n && n.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

/**
 * The constant text around a computed module specifier: `'./a/' + x`, `'./a/' + x + '.js'`,
 * `` `./a/${x}` ``. Only a relative prefix that names a folder counts; one computed part only.
 */
export function specifierPattern(e: ts.Expression): { prefix: string; suffix: string } | undefined {
  e = skipParens(e);
  let prefix: string | undefined;
  let suffix = '';
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const parts: ts.Expression[] = [];
    const flatten = (x: ts.Expression): void => {
      x = skipParens(x);
      if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        flatten(x.left);
        flatten(x.right);
      } else parts.push(x);
    };
    flatten(e);
    const first = parts[0]!;
    const last = parts[parts.length - 1]!;
    if (!ts.isStringLiteralLike(first)) return undefined;
    prefix = first.text;
    const tail = parts.length > 2 && ts.isStringLiteralLike(last) ? last.text : '';
    if (parts.length - (tail ? 2 : 1) !== 1) return undefined;
    suffix = tail;
  } else if (ts.isTemplateExpression(e)) {
    if (e.templateSpans.length !== 1) return undefined;
    prefix = e.head.text;
    suffix = e.templateSpans[0]!.literal.text;
  }
  if (prefix === undefined || !/^\.\.?\//.test(prefix) || suffix.includes('/')) return undefined;
  // `require('./' + name)` alone could be any module beside the file: too little to go on.
  if (/^(?:\.\.?\/)+$/.test(prefix) && !suffix.replace(/^\.[cm]?[jt]sx?$/, '')) return undefined;
  return { prefix, suffix };
}

/**
 * The class whose instance `this` is at a node: the nearest enclosing function that is not an arrow
 * function must be a member of that class (a method, accessor, constructor or field initializer).
 */
function thisOwner(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isArrowFunction(n)) continue;
    if (ts.isPropertyDeclaration(n) || ts.isClassStaticBlockDeclaration(n)) return ts.isClassLike(n.parent) ? n.parent : undefined;
    if (ts.isFunctionLike(n)) return n.parent && ts.isClassLike(n.parent) ? n.parent : undefined;
    if (ts.isClassLike(n)) return n;
  }
  return undefined;
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** `require('pkg')` of a package (not a file of the project). */
function isPackageRequire(c: ts.CallExpression): boolean {
  const callee = skipOuter(c.expression);
  const a = c.arguments[0];
  return ts.isIdentifier(callee) && callee.text === 'require' && !!a && ts.isStringLiteralLike(a) && !/^[./]/.test(a.text);
}

/** The module specifier of an import binding's declaration. */
function importSpecifierOf(decl: ts.Node): string | undefined {
  const d = ts.isImportClause(decl) ? decl.parent : ts.isNamespaceImport(decl) ? decl.parent.parent : ts.isImportSpecifier(decl) ? decl.parent.parent.parent : decl;
  if (ts.isImportDeclaration(d) && ts.isStringLiteral(d.moduleSpecifier)) return d.moduleSpecifier.text;
  if (ts.isImportEqualsDeclaration(d) && ts.isExternalModuleReference(d.moduleReference) && ts.isStringLiteral(d.moduleReference.expression)) return d.moduleReference.expression.text;
  return undefined;
}

function collectClasses(sf: ts.SourceFile): ts.ClassLikeDeclaration[] {
  const out: ts.ClassLikeDeclaration[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isClassLike(n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

interface ExportTable {
  whole?: ts.Expression;
  props: Map<string, ts.Node>;
  /** Names re-exported from other modules (`export { a as b } from './m'`; no name: the module itself). */
  from: Map<string, Array<{ spec: string; name?: string }>>;
  /** `export * from './m'`: any other name may come from these. */
  stars: Array<{ spec: string; name: '*' }>;
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

/**
 * An element of a rest parameter (`bodyAppend(...values)`: `values[k]`, `values` iterated or mapped):
 * what the call passes from that position on. Undefined for any other parameter, or the list itself.
 */
export function restElements(fn: FunctionLike, v: Extract<Val, { t: 'param' }>, c: ts.CallExpression | ts.NewExpression, caller: FileEvaluator): { vals: Val[] } | undefined {
  const d = fn.parameters[v.index];
  const first = v.path[0];
  if (!d?.dotDotDotToken || (first !== '*' && first !== ITERATED && typeof first !== 'number')) return undefined;
  let vals: Val[] = [];
  const count = c.arguments?.length ?? 0;
  for (let k = typeof first === 'number' ? v.index + first : v.index; k < Math.min(count, v.index + 16); k++) {
    vals = union(vals, caller.argumentValues(c, k) ?? []);
    if (typeof first === 'number') break;
  }
  return { vals };
}

/** The name an array literal is kept under: `const parts = []`, `this._chunks = []`, a field `_chunks = []`, `{ parts: [] }`. */
function keptUnder(arr: ts.ArrayLiteralExpression): string | undefined {
  let e: ts.Node = arr;
  while (e.parent && (ts.isParenthesizedExpression(e.parent) || ts.isAsExpression(e.parent))) e = e.parent;
  const p = e.parent;
  if (!p) return undefined;
  if (ts.isVariableDeclaration(p) && p.initializer === e && ts.isIdentifier(p.name)) return p.name.text;
  if (ts.isBinaryExpression(p) && p.right === e && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = skipOuter(p.left);
    return ts.isIdentifier(left) ? left.text : ts.isPropertyAccessExpression(left) ? left.name.text : undefined;
  }
  if ((ts.isPropertyDeclaration(p) || ts.isPropertyAssignment(p)) && p.initializer === e) return propertyNameText(p.name);
  return undefined;
}

/** `Buffer.alloc(n)`, `Buffer.allocUnsafe(n)`, `new Uint8Array(n)`: a new, empty byte buffer (by its syntax). */
function isByteAllocation(e0: ts.Expression): boolean {
  const e = skipOuter(e0);
  if (ts.isNewExpression(e)) return ts.isIdentifier(e.expression) && (e.expression.text === 'Uint8Array' || e.expression.text === 'ArrayBuffer');
  if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) return false;
  const recv = skipOuter(e.expression.expression);
  return ts.isIdentifier(recv) && recv.text === 'Buffer' && /^alloc(Unsafe(Slow)?)?$/.test(e.expression.name.text);
}

/** `void 0` (or `undefined`), also at the end of a chain of assignments: tsc's placeholder for an export defined later. */
function isVoidPlaceholder(e0: ts.Expression): boolean {
  let e = skipOuter(e0);
  while (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) e = skipOuter(e.right);
  return ts.isVoidExpression(e) || (ts.isIdentifier(e) && e.text === 'undefined');
}

function bytesOf(vals: Val[]): Val[] {
  return vals.filter((v) => v.t === 'src' || v.t === 'param' || v.t === 'readVia');
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
      const rest = restElements(fn, v, c, caller);
      const arg = rest ? rest.vals : caller.argumentValues(c, v.index);
      if (!arg) continue;
      const argVals = caller.getPath(arg, rest ? v.path.slice(1) : v.path, c).map((a) => withStep(a, caller.step(c, `passed to ${codeSpan(fnName)}`, { call: true })));
      out = union(out, argVals);
    } else if (v.t === 'readVia' && v.fn === fn) {
      // A read through what the caller passes: file bytes when that is Node's fs (its function of that name).
      const arg = caller.argumentValues(c, v.index);
      const fsFns = arg ? caller.getPath(arg, [...v.path, v.api], c) : [];
      if (fsFns.some((a) => a.t === 'fsfn' && a.flavor === 'cb' && a.name === v.api)) {
        out = union(out, [withStep((v.file as FileEvaluator).readViaSource(v), caller.step(c, `reads through the fs passed to ${codeSpan(fnName)}`, { call: true }))]);
      }
    } else if (v.t === 'promise') {
      out = union(out, [{ t: 'promise', of: substitute(v.of, fn, c, caller, fnName) }]);
    } else if (v.t === 'with') {
      out = union(out, [{ t: 'with', base: substitute(v.base, fn, c, caller, fnName), stores: v.stores.map((st) => instantiateStore(st, fn, c, caller, fnName)) }]);
    } else {
      out = union(out, [v]);
    }
  }
  return out;
}

/** Node's sink class named `module.Class` (the receiver of a `.prototype`). */
function sinkClassOf(qualified: string): ReturnType<typeof sinkClass> {
  const dot = qualified.lastIndexOf('.');
  return dot > 0 ? sinkClass(qualified.slice(0, dot), qualified.slice(dot + 1)) : undefined;
}

/** A store without the objects it fills (what a `with` value keeps). */
function storeOnly(e: Store & { holder?: Val[] }): Store {
  return { key: e.key, vals: e.vals, descs: e.descs, copies: e.copies, getter: e.getter };
}

/** A store of `fn`'s summary (over its parameters) as made by call `c`. */
function instantiateStore<T extends Store & { holder?: Val[] }>(e: T, fn: FunctionLike, c: ts.CallExpression | ts.NewExpression, caller: FileEvaluator, fnName: string): T {
  const sub = (vals: Val[] | undefined) => vals && substitute(vals, fn, c, caller, fnName);
  return { ...e, holder: sub(e.holder), vals: sub(e.vals), descs: sub(e.descs), copies: sub(e.copies) };
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

/**
 * A file's stores, found by the span of a function body (binary search) rather than by a pass over
 * every store of the file per function summarised; each kind in the order fileStores lists it.
 */
function storesByPosition(stores: FileStores): (body: ts.Node) => { named: MemberStore[]; copies: MemberStore[]; calls: ts.CallExpression[] } {
  const byPos = <T>(items: T[], node: (t: T) => ts.Node) => items.map((item, order) => ({ item, order, node: node(item) })).sort((a, b) => a.node.pos - b.node.pos);
  const named = byPos([...stores.byKey.values()].flat(), (s) => s.assignment);
  const copies = byPos(stores.copies, (s) => s.assignment);
  const calls = byPos(stores.calls, (c) => c);
  const inside = <T>(sorted: Array<{ item: T; order: number; node: ts.Node }>, body: ts.Node): T[] =>
    itemsWithin(sorted, (x) => x.node, body)
      .sort((a, b) => a.order - b.order)
      .map((x) => x.item);
  return (body) => ({ named: inside(named, body), copies: inside(copies, body), calls: inside(calls, body) });
}
