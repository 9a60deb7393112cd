import ts from 'typescript';
import { propertyNameText, skipOuter } from './scope';
import { namesFs } from './parse';
import type { FileEvaluator } from './evaluator';
import { unwrap } from './evaluator';
import type { FunctionLike, Val } from './values';

/**
 * A field-based approximate call graph (Feldthaus, Schäfer, Sridharan, Dolby, Tip, ICSE 2013),
 * applied narrowly: when the receiver of `x.m(…)` is an injected object the evaluator cannot see
 * (`this.fs`, a resource handed to a callback), the functions stored under property name `m`
 * anywhere in the project are its possible callees. Callers keep only the file sources those
 * functions hand out (returned, resolved, or passed to a callback), so a wrong `m` adds no sink
 * and no value other than file bytes.
 */

export type FnVal = Extract<Val, { t: 'fn' }>;

/**
 * Methods of the built-in objects and of events and streams: `x.push(…)`, `x.on(…)`, `x.get(…)` on an
 * unknown `x` is far more likely one of these than a project function of that name.
 */
const BUILT_IN_METHODS: ReadonlySet<string> = new Set([
  ...[Object.prototype, Array.prototype, String.prototype, Function.prototype, Promise.prototype, Map.prototype, Set.prototype, Date.prototype, RegExp.prototype, Number.prototype].flatMap((p) => Object.getOwnPropertyNames(p)),
  ...[Object, Array, Promise, JSON, Math, Number, String, Date, Reflect].flatMap((c) => Object.getOwnPropertyNames(c)),
  // The console's (`console.warn(…)` in every file would link each to any project method named `warn`).
  ...['log', 'warn', 'info', 'debug', 'trace', 'dir', 'dirxml', 'table', 'assert', 'count', 'countReset', 'group', 'groupCollapsed', 'groupEnd', 'time', 'timeEnd', 'timeLog', 'timeStamp', 'profile', 'profileEnd'],
  ...['on', 'once', 'off', 'emit', 'addListener', 'removeListener', 'removeAllListeners', 'prependListener', 'prependOnceListener', 'listeners', 'listenerCount'],
  ...['pipe', 'unpipe', 'write', 'end', 'destroy', 'pause', 'resume', 'setEncoding', 'cork', 'uncork', 'close', 'error', 'push', 'unshift', 'emitClose'],
  // Node's fs (other than its reads), process, path, crypto, util and HTTP message methods.
  ...['stat', 'lstat', 'fstat', 'statSync', 'lstatSync', 'fstatSync', 'exists', 'existsSync', 'access', 'accessSync', 'open', 'openSync', 'readdir', 'readdirSync', 'readlink', 'readlinkSync', 'realpath', 'realpathSync'],
  ...['mkdir', 'mkdirSync', 'rmdir', 'rmdirSync', 'rm', 'rmSync', 'unlink', 'unlinkSync', 'rename', 'renameSync', 'chmod', 'chown', 'utimes', 'symlink', 'link', 'watch', 'watchFile', 'umask', 'cwd', 'chdir'],
  ...['emitWarning', 'nextTick', 'hrtime', 'memoryUsage', 'exit', 'kill', 'join', 'dirname', 'basename', 'extname', 'relative', 'normalize', 'isAbsolute'],
  ...['createHash', 'createHmac', 'update', 'digest', 'randomBytes', 'inspect', 'format', 'promisify', 'inherits', 'deprecate'],
  ...['getHeader', 'setHeader', 'hasHeader', 'removeHeader', 'getHeaders', 'writeHead', 'flushHeaders', 'setTimeout', 'isSocket', 'isFile', 'isDirectory', 'isSymbolicLink'],
]);

/**
 * Built-in methods that never take a function (a Map's or a cache's accessors): `store.get(key, cb)`
 * called with a callback is not one of them, but a project's method (a document store's `get`).
 */
const CALLBACK_FREE_BUILT_INS: ReadonlySet<string> = new Set(['get', 'set']);

/**
 * Whether the project's functions named `name` are indexed for by-name lookups at all: any name but a
 * built-in method's, and the built-in names a project's method may also have (CALLBACK_FREE_BUILT_INS).
 */
export function isIndexedMethodName(name: string): boolean {
  return !BUILT_IN_METHODS.has(name) || CALLBACK_FREE_BUILT_INS.has(name);
}

/**
 * Whether `x.m(…)` on an unknown `x` may be looked up among the project's functions named `m`;
 * with `call`, whether that call's arguments make a built-in name a project's method (see
 * CALLBACK_FREE_BUILT_INS).
 */
export function isGuessableMethodName(name: string, call?: { arguments?: ts.NodeArray<ts.Expression> }): boolean {
  if (!BUILT_IN_METHODS.has(name)) return true;
  if (!CALLBACK_FREE_BUILT_INS.has(name) || call === undefined) return false;
  const args = call.arguments ?? [];
  // `app.get('/path', handler)`, `res.set('X-A', v)`: a route or a header by a literal name, not a store's key.
  if (!args[0] || ts.isStringLiteralLike(args[0])) return false;
  return args.some((a) => ts.isFunctionExpression(a) || ts.isArrowFunction(a));
}

/**
 * At most this many files are evaluated for one name (however many define it): those that read files
 * first, then wrappers by their distance from one (project.ts, handingCandidates).
 */
export const MAX_HANDING_CANDIDATES = 32;
/** How many wrappers (methods called by name) may stand between a call and the file that reads. */
export const MAX_HOPS = 3;
/** At most this many functions are tried for one name. */
const MAX_CANDIDATES = 12;

const NAME = '[A-Za-z_$][\\w$]*';
/** Text shapes that may store a function under a property name; a superset, checked on the tree after. */
const DEFINITIONS = new RegExp(
  [
    `(?:^|[{,;])[ \\t]*(?:(?:static|async|get|set|public|private|protected|override)\\s+|\\*\\s*)*(${NAME})\\s*\\([^()]*\\)\\s*(?::[^{;]*)?\\{`, // method
    `(?:^|[{,])\\s*(${NAME})\\s*:`, // key: value
    `[{,]\\s*(${NAME})\\s*(?=[,}])`, // { shorthand }
    `\\.(${NAME})\\s*=(?![=>])`, // x.m = value
  ].join('|'),
  'gm',
);

/** The property names a file may store a function under (a text scan, no parse). */
export function definedNames(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(DEFINITIONS)) out.add(detached((m[1] ?? m[2] ?? m[3] ?? m[4])!));
  for (const m of text.matchAll(IMPLEMENTS)) for (const n of m[1]!.matchAll(IMPLEMENTED_NAME)) out.add(implementsKey(n[1]!));
  return out;
}

/** `class X implements A, ns.B<T> {`: the interfaces named (a superset, checked on the tree after). */
const IMPLEMENTS = /\bimplements\s+([\w$.,<>\s]+?)\{/g;
const IMPLEMENTED_NAME = new RegExp(`(?:^|[\\s,.])(${NAME})(?=\\s*(?:[,<{]|$))`, 'g');
/** The name index's key for the files whose classes may implement interface `name` (not a property name: it has a space). */
export function implementsKey(name: string): string {
  return 'implements ' + name;
}

/**
 * A copy of a matched name that does not hold on to the text it was found in: V8 keeps a longer
 * substring as a slice of its parent, which would keep every listed file's text alive.
 */
function detached(name: string): string {
  // Slicing a concatenation copies it into a new flat string first: the slice then holds that copy.
  return name.length < 13 ? name : (' ' + name).slice(1);
}

/** Names a file calls as methods: `x.m(` (a text scan). */
const METHOD_CALL = new RegExp(`\\.\\s*(${NAME})\\s*\\(`, 'g');
export function calledMethodNames(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(METHOD_CALL)) if (isIndexedMethodName(m[1]!)) out.add(detached(m[1]!));
  return out;
}

/** The nodes of a parsed file that store a value under a property name, by name. */
const definitionsMemo = new WeakMap<ts.SourceFile, Map<string, ts.Node[]>>();
function definitionsIn(sf: ts.SourceFile): Map<string, ts.Node[]> {
  let defs = definitionsMemo.get(sf);
  if (defs) return defs;
  const found = new Map<string, ts.Node[]>();
  defs = found;
  const add = (name: string | undefined, node: ts.Node) => {
    if (name === undefined) return;
    const list = found.get(name) ?? [];
    list.push(node);
    found.set(name, list);
  };
  const visit = (n: ts.Node): void => {
    if ((ts.isMethodDeclaration(n) || ts.isGetAccessorDeclaration(n)) && n.body) add(propertyNameText(n.name), n);
    else if (ts.isPropertyAssignment(n) && ts.isObjectLiteralExpression(n.parent)) add(propertyNameText(n.name), n.initializer);
    else if (ts.isShorthandPropertyAssignment(n)) add(n.name.text, n.name);
    else if (ts.isPropertyDeclaration(n) && n.initializer) add(propertyNameText(n.name), n.initializer);
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipOuter(n.left);
      if (ts.isPropertyAccessExpression(left)) add(left.name.text, n.right);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  definitionsMemo.set(sf, found);
  return defs;
}

/** The functions file `ev` stores under property name `name`. */
export function functionsStoredAs(ev: FileEvaluator, name: string): FnVal[] {
  const out: FnVal[] = [];
  for (const node of definitionsIn(ev.sf).get(name) ?? []) {
    if (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node)) {
      if (ts.isMethodDeclaration(node)) out.push({ t: 'fn', node, file: ev });
      continue;
    }
    for (const v of ev.eval(node as ts.Expression)) if (v.t === 'fn' && !out.some((o) => o.node === v.node)) out.push(v);
    if (out.length >= MAX_CANDIDATES) break;
  }
  return out.slice(0, MAX_CANDIDATES);
}

/** Whether a value is, or holds one level down, a file source: what a candidate may hand back. */
function holdsSource(v: Val): boolean {
  if (v.t === 'src' || v.t === 'readResult') return true;
  if (v.t === 'promise') return v.of.some(holdsSource);
  if (v.t === 'obj') {
    const ev = v.file as FileEvaluator;
    return v.node.properties.some((p) => {
      const name = p.name && propertyNameText(p.name);
      return name !== undefined && ev.objectProp(v.node, name).some((x) => x.t === 'src');
    });
  }
  return false;
}

/**
 * Whether call site `c` can be a call of `fn`: not more arguments than it takes, and some when it
 * needs some (compiled code drops the marks of optional parameters, so fewer is no proof).
 */
function arityFits(fn: FunctionLike, c: ts.CallExpression | ts.NewExpression): boolean {
  const args = c.arguments ?? [];
  if (args.some(ts.isSpreadElement) || fn.parameters.some((p) => p.dotDotDotToken)) return true;
  const required = fn.parameters.filter((p) => !p.initializer && !p.questionToken).length;
  return args.length <= fn.parameters.length && (required === 0 || args.length > 0);
}

/** What `f` returns at call site `c`, kept only where it holds a file source. */
export function sourcesReturned(f: FnVal, c: ts.CallExpression | ts.NewExpression, caller: FileEvaluator): Val[] {
  if (!arityFits(f.node, c)) return [];
  return (f.file as FileEvaluator).callFunction(f.node, c, caller).filter(holdsSource);
}

/**
 * The file sources `f` passes, as argument `paramIndex`, to the callback it receives as parameter
 * `argIndex`: called by its name, or through a local alias (`const done = cb || noop; done(null, s)`),
 * and through a local wrapper that forwards to it (`const done = (e, s) => cb(e, s)`).
 */
export function sourcesHandedBack(f: FnVal, argIndex: number, paramIndex: number, c?: ts.CallExpression | ts.NewExpression): Val[] {
  if (c && !arityFits(f.node, c)) return [];
  const ev = f.file as FileEvaluator;
  let out = ev.invocationArgs(f.node, argIndex, paramIndex);
  const param = f.node.parameters[argIndex];
  for (const call of ev.scopes.callsWithin(f.node)) {
    if (!ts.isCallExpression(call)) continue;
    const callee = skipOuter(call.expression);
    const arg = call.arguments[paramIndex];
    if (!arg || !ts.isIdentifier(callee) || (param && ts.isIdentifier(param.name) && callee.text === param.name.text)) continue;
    if (ev.eval(callee).some((v) => v.t === 'param' && v.fn === f.node && v.index === argIndex && v.path.length === 0)) out = out.concat(ev.eval(arg));
  }
  return forwardedArgs(ev, out, 2).filter(holdsSource);
}

/** Replaces the parameters of a local function (a wrapper) by what its direct calls in the same file pass. */
function forwardedArgs(ev: FileEvaluator, vals: Val[], depth: number): Val[] {
  const out: Val[] = [];
  for (const v of vals) {
    if (v.t !== 'param' || depth === 0) {
      out.push(v);
      continue;
    }
    let e: ts.Node = v.fn;
    while (e.parent && ts.isParenthesizedExpression(e.parent)) e = e.parent;
    const id = ts.isFunctionDeclaration(v.fn) ? v.fn.name : e.parent && ts.isVariableDeclaration(e.parent) && ts.isIdentifier(e.parent.name) ? e.parent.name : undefined;
    const b = id && ev.owns(v.fn) ? ev.scopes.declaredBy(id) : undefined;
    if (!b) continue;
    for (const ref of ev.scopes.refsOf(b)) {
      const call = ref.parent;
      if (!call || !ts.isCallExpression(call) || call.expression !== ref) continue;
      const arg = call.arguments[v.index];
      if (arg && !ts.isSpreadElement(arg)) out.push(...forwardedArgs(ev, ev.getPath(ev.eval(arg), v.path, arg), depth - 1));
    }
  }
  return out;
}

/** Callbacks are looked for among the first parameters and arguments only. */
const MAX_CALLBACK_PARAM = 6;
const MAX_CALLBACK_ARG = 3;

/**
 * Words a function must contain to hand out a file it reads itself (a text test before any
 * evaluation): whole-file reads and read streams. A chunk read (`fs.read`) fills a caller's buffer
 * rather than handing bytes out, and `read` is too common a word to test for.
 */
const SOURCE_WORDS = /\b(?:readFile|readFileSync|createReadStream|ReadStream)\b/;

/** Whether a file's text may read files itself: it names an fs module and a read API. */
export function mayReadFiles(text: string): boolean {
  return namesFs(text) && SOURCE_WORDS.test(text);
}

/**
 * Whether file `ev` stores under property name `name` a function that hands a file source out.
 * Only functions whose text names a read API are evaluated, and, with `forwarding`, those that call
 * a method by name (a wrapper handing out what another object of the project hands it: the project
 * decides, from its name index, that such a call may return a source). A name stored only as
 * functions written in place that do neither is passed over without evaluating anything.
 */
export function storesHandingFunction(ev: FileEvaluator, name: string, forwarding = false): boolean {
  return functionsStoredAs(ev, name).some((f) => {
    const text = f.node.getText(f.file.sf);
    return (SOURCE_WORDS.test(text) || (forwarding && calledMethodNames(text).size > 0)) && handsSourceOut(f);
  });
}

/**
 * What a file stores under each name, as far as handing a source out goes: `worth`, the names that
 * may be a function handing a source out (all but those stored only as functions written in place
 * whose text names no read API), and `forwards`, for the other names, the methods their functions
 * call by name (a wrapper: it hands a source out when one of those does). Computed from the tree
 * once, kept without it (a file evicted from the project's cache is not parsed again to learn that
 * a name hands nothing out).
 */
export function namesWorthEvaluating(sf: ts.SourceFile): { worth: Set<string>; forwards: Map<string, Set<string>> } {
  const worth = new Set<string>();
  const forwards = new Map<string, Set<string>>();
  for (const [name, nodes] of definitionsIn(sf)) {
    if (!isIndexedMethodName(name)) continue;
    if (!nodes.every((n) => isFunctionInPlace(n) && !SOURCE_WORDS.test(n.getText(sf)))) {
      worth.add(detached(name));
      continue;
    }
    const called = new Set<string>();
    for (const n of nodes) for (const m of calledMethodNames(n.getText(sf))) called.add(m);
    if (called.size) forwards.set(detached(name), called);
  }
  return { worth, forwards };
}

function isFunctionInPlace(n: ts.Node): boolean {
  return ts.isMethodDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n);
}

/**
 * Whether a function hands a file source out to whoever calls it: returns one (maybe in a promise or
 * an object), or passes one to a callback parameter.
 */
const handsMemo = new WeakMap<FunctionLike, boolean>();
function handsSourceOut(f: FnVal): boolean {
  const hit = handsMemo.get(f.node);
  if (hit !== undefined) return hit;
  handsMemo.set(f.node, false);
  const ev = f.file as FileEvaluator;
  let hands = unwrap(ev.returnsOf(f.node)).some(holdsSource);
  const params = Math.min(f.node.parameters.length, MAX_CALLBACK_PARAM);
  for (let p = 0; p < params && !hands; p++) {
    for (let j = 0; j < MAX_CALLBACK_ARG && !hands; j++) hands = sourcesHandedBack(f, p, j).length > 0;
  }
  handsMemo.set(f.node, hands);
  return hands;
}
