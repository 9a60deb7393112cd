import ts from 'typescript';
import { isFunctionScope, skipOuter, within } from './scope';
import type { Flow } from './flows';
import type { FileEvaluator } from './evaluator';
import type { Source, Val } from './values';

/**
 * Whether a flow moves the file's bytes on every request, rather than serving bytes that were
 * read once (at module load, at startup, into a variable the handler shares between requests).
 *
 * The handler is the function that receives the sink. The bytes are per request when the source
 * call runs inside the handler, or reaches it through a call made inside the handler — and never
 * sit in a variable that the handler captures from an enclosing scope.
 */
export function isPerRequest(ev: FileEvaluator, flow: Flow): boolean {
  if (flow.payload.t !== 'src' || flow.sink.t !== 'sink') return true;
  const origin = flow.sink.sink.origin;
  const received = ts.isParameter(origin) || ts.isClassLike(origin);
  // A framework body's origin is the handler that returns or sends it.
  const handler = received ? (ts.isParameter(origin) ? origin.parent : origin) : isFunctionScope(origin) ? origin : namedFunctionAround(origin);
  if (!handler) return true;
  const steps = [...flow.payload.trail, ...flow.via];
  // A buffer that read() refills inside the handler holds new bytes on every call, shared or not.
  const refilled = flow.payload.src.form !== 'whole' && within(flow.payload.src.node, handler);
  for (const s of steps) {
    if (!refilled && s.binding && isStrictAncestor(scopeOf(s.binding), handler)) return false;
  }
  // Stored, even wrapped in an object, into a variable the handler shares between requests,
  // and sent from that variable.
  const owner = ev.evaluatorOf(flow.payload.src.sf);
  const shared = owner ? storedIn(owner, flow.payload.src).filter((decl) => isStrictAncestor(scopeOf(decl), handler)) : [];
  if (shared.length && [flow.event, ...flow.via].some((s) => mentionsAny(owner!, s.node, shared))) return false;
  // Bytes read at module load and reached by a handler through an object or an export.
  if (received && ts.isSourceFile(scopeOf(flow.payload.src.node)) && !within(flow.payload.src.node, handler)) return false;
  if (!refilled && keptBySetup(ev, flow, flow.payload.src.node, handler, steps)) return false;
  return true;
}

/**
 * Bytes read once when a function outside the handler runs (a setup or factory function), kept in
 * that function's variable and handed to each request by a closure over it
 * (`let code = readFileSync(f); … getCode() { return code }`): the read is not on the request's
 * path unless the handler, or a call the bytes cross, runs that function again.
 */
function keptBySetup(ev: FileEvaluator, flow: Flow, src: ts.Node, handler: ts.Node, steps: readonly { node: ts.Node; binding?: ts.Node; call?: boolean }[]): boolean {
  const scope = scopeOf(src);
  if (ts.isSourceFile(scope) || within(handler, scope) || within(scope, handler)) return false;
  // Kept: the bytes sit in a variable declared in the function that reads them, and leave it by no
  // call made there (passed on, they go wherever that call goes; kept, only a closure reaches them).
  const kept = steps.find((s) => s.binding && scopeOf(s.binding) === scope)?.binding;
  if (!kept || !onlyClosuresRead(kept, scope)) return false;
  if ([...steps, ...flow.via].some((s) => s.call && s.node.getSourceFile() === src.getSourceFile() && within(s.node, scope))) return false;
  const enclosing: ts.Node[] = [];
  const names = new Set<string>();
  for (let n: ts.Node | undefined = scope; n && !ts.isSourceFile(n); n = n.parent) {
    if (!isFunctionScope(n)) continue;
    enclosing.push(n);
    const name = functionNameOf(n);
    if (name) names.add(name);
  }
  // Entered again per request: the handler calls one of these functions, or the bytes cross such a call.
  const runs = (c: ts.Node, owner: FileEvaluator | undefined): boolean => {
    if (!ts.isCallExpression(c) && !ts.isNewExpression(c)) return false;
    const callee = skipOuter(c.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (name !== undefined && names.has(name)) return true;
    return !!owner && owner.eval(callee).some((v) => (v.t === 'fn' && enclosing.includes(v.node)) || (v.t === 'xmod' && (v.file as FileEvaluator).sf === src.getSourceFile()));
  };
  const handlerEv = ev.evaluatorOf(handler.getSourceFile());
  if (handlerEv && handlerEv.scopes.callsWithin(handler).some((c) => runs(c, handlerEv))) return false;
  for (const s of [...steps, ...flow.via]) if (runs(s.node, ev.evaluatorOf(s.node.getSourceFile()))) return false;
  return true;
}

/**
 * Whether the variable declared at `decl` is read only by functions nested in its scope (closures
 * kept past the call), never in the scope's own body (returned or passed on each time it runs).
 */
function onlyClosuresRead(decl: ts.Node, scope: ts.Node): boolean {
  const name = (decl as { name?: ts.Node }).name;
  if (!name || !ts.isIdentifier(name)) return false;
  let inClosure = false;
  let inOwnBody = false;
  const visit = (n: ts.Node): void => {
    if (inOwnBody) return;
    if (ts.isIdentifier(n) && n !== name && n.text === name.text) {
      const p = n.parent;
      // Written back to itself (`code = code.replace(…)`) in the scope's body: still the kept value.
      const isWrite = p && ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken;
      if (scopeOf(n) !== scope) inClosure = true;
      else if (!isWrite && !(p && ts.isPropertyAccessExpression(p) && p.expression === n && ts.isCallExpression(p.parent) && isWriteBack(p.parent))) inOwnBody = true;
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(scope, visit);
  return inClosure && !inOwnBody;
}

/** `x.replace(…)` (or any method call on `x`) whose result is assigned back to `x`. */
function isWriteBack(call: ts.CallExpression): boolean {
  const p = call.parent;
  const recv = ts.isPropertyAccessExpression(call.expression) ? call.expression.expression : undefined;
  return !!recv && ts.isIdentifier(recv) && !!p && ts.isBinaryExpression(p) && p.right === call && ts.isIdentifier(p.left) && p.left.text === recv.text;
}

/** The name a function is called by, syntactically: its own, its variable's, its property's. */
function functionNameOf(fn: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const p = fn.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && (ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isBinaryExpression(p) && ts.isPropertyAccessExpression(p.left)) return p.left.name.text;
  return undefined;
}

/**
 * For a sink the code creates (a connection, a request, a write stream), the function whose every
 * call creates a new one: the nearest function that is declared, not a callback handed to a call.
 */
function namedFunctionAround(node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isSourceFile(n)) return undefined;
    if (!isFunctionScope(n)) continue;
    const p = n.parent;
    const isCallback = (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && p && (ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(n as ts.Expression);
    if (!isCallback) return n;
  }
  return undefined;
}

function scopeOf(node: ts.Node): ts.Node {
  for (let n = node.parent; n; n = n.parent) if (isFunctionScope(n) || ts.isSourceFile(n)) return n;
  return node.getSourceFile();
}

function isStrictAncestor(a: ts.Node, b: ts.Node): boolean {
  return a !== b && within(b, a);
}

/**
 * Sources whose bytes are stored in a memo (`cache.set(key, bytes)`, `cache[key] = bytes`,
 * `memo.set(key, { body: bytes })`): read once, then served from memory.
 */
const memoIndex = new WeakMap<FileEvaluator, Set<Source>>();
export function isMemoized(ev: FileEvaluator, src: Source): boolean {
  let memoized = memoIndex.get(ev);
  if (!memoized) {
    const found = new Set<Source>();
    const note = (vals: Val[], depth: number): void => {
      for (const v of vals) {
        if (v.t === 'src') found.add(v.src);
        else if (v.t === 'obj' && depth === 0) for (const p of v.node.properties) if (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) note((v.file as FileEvaluator).eval(ts.isPropertyAssignment(p) ? p.initializer : p.name), 1);
      }
    };
    for (const n of ev.scopes.calls) {
      if (!ts.isCallExpression(n) || n.arguments.length !== 2) continue;
      const callee = skipOuter(n.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'set' && !isOptionalStore(ev, n, callee.expression)) note(ev.eval(n.arguments[1]!), 0);
    }
    for (const n of ev.scopes.memberAssignments) {
      const left = skipOuter(n.left);
      const isStore = ts.isElementAccessExpression(left) || (ts.isPropertyAccessExpression(left) && left.expression.kind !== ts.SyntaxKind.ThisKeyword && left.name.text !== 'body' && !isLocalHolder(ev, left.expression));
      if ((isStore && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && !isOptionalStore(ev, n, left.expression)) || isLazyInit(ev, n)) note(ev.eval(n.right), 0);
    }
    for (const n of ev.scopes.identifierAssignments()) if (isLazyInit(ev, n) && !isCallLocal(ev, n.left)) note(ev.eval(n.right), 0);
    memoIndex.set(ev, (memoized = found));
  }
  return memoized.has(src);
}

/**
 * A memo that only a setting turns on: the store sits in a branch (`if (this.options.useCache) cache[k] = data`)
 * whose test reads only what the storing function does not own (`this`, module or enclosing variables,
 * globals: configuration, the same on every call) and never the memo itself. With the setting off
 * every call reads the file again, and an optional branch does not make the read once (like an
 * optional compression branch does not make a stream changed). A test on the call's own values
 * (`if (!err)`, `if (buf.length < max)`) or on the memo (`if (cache)`, `if (!cache[k])`) keeps it a memo.
 */
function isOptionalStore(ev: FileEvaluator, store: ts.Node, container: ts.Expression): boolean {
  const fn = scopeOf(store);
  if (ts.isSourceFile(fn)) return false;
  for (let n: ts.Node = store; n.parent && n !== fn; n = n.parent) {
    const p = n.parent;
    const test = ts.isIfStatement(p) && p.expression !== n ? p.expression : ts.isConditionalExpression(p) && p.condition !== n ? p.condition : undefined;
    if (test && readsOnlySettings(ev, test, container, fn)) return true;
  }
  return false;
}

/** Whether a branch's test reads only values from outside `fn` (no local, no parameter), and not `container`. */
function readsOnlySettings(ev: FileEvaluator, test: ts.Expression, container: ts.Expression, fn: ts.Node): boolean {
  let settings = true;
  let reads = false;
  const visit = (n: ts.Node): void => {
    if (!settings) return;
    if (ts.isExpression(n) && sameTarget(ev, n, container)) settings = false;
    else if (n.kind === ts.SyntaxKind.ThisKeyword) reads = true;
    else if (ts.isIdentifier(n)) {
      const p = n.parent;
      if (p && ts.isPropertyAccessExpression(p) && p.name === n) return;
      const b = ev.scopes.resolve(n);
      if (b && within(b.decl, fn)) settings = false;
      else reads = true;
    } else if (ts.isCallExpression(n) || ts.isFunctionLike(n)) settings = false;
    else ts.forEachChild(n, visit);
  };
  visit(test);
  return settings && reads;
}

/**
 * A lazy initialisation: the value is stored only when the target is still empty (`if (!x) x = …`,
 * `x || (x = …)`, `x ??= …`, `this._page ||= …`): whatever object holds it, it is read once and kept.
 */
function isLazyInit(ev: FileEvaluator, a: ts.BinaryExpression): boolean {
  const op = a.operatorToken.kind;
  if (op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken) return true;
  if (op !== ts.SyntaxKind.EqualsToken) return false;
  let e: ts.Node = a;
  while (e.parent && ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const p = e.parent;
  // `x || (x = …)`, `x ?? (x = …)`
  if (p && ts.isBinaryExpression(p) && p.right === e && (p.operatorToken.kind === ts.SyntaxKind.BarBarToken || p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) return sameTarget(ev, p.left, a.left);
  // `if (!x) x = …;` / `if (x == null) { …; x = …; }`
  let st: ts.Node | undefined = p;
  if (st && ts.isExpressionStatement(st)) {
    let branch: ts.Node = st;
    if (ts.isBlock(st.parent)) branch = st.parent;
    const ifs = branch.parent;
    if (ifs && ts.isIfStatement(ifs) && ifs.thenStatement === branch) return testsEmpty(ev, ifs.expression, a.left);
  }
  return false;
}

/** `!x`, `x == null`, `x === undefined`, `typeof x === 'undefined'` for the target `x`. */
function testsEmpty(ev: FileEvaluator, test0: ts.Expression, target: ts.Expression): boolean {
  const test = skipOuter(test0);
  if (ts.isPrefixUnaryExpression(test) && test.operator === ts.SyntaxKind.ExclamationToken) return sameTarget(ev, test.operand, target);
  if (ts.isBinaryExpression(test)) {
    const op = test.operatorToken.kind;
    if (op === ts.SyntaxKind.BarBarToken) return testsEmpty(ev, test.left, target) || testsEmpty(ev, test.right, target);
    if (op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsEqualsToken) {
      const [x, y] = [skipOuter(test.left), skipOuter(test.right)];
      const empty = (n: ts.Expression) => n.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(n) && n.text === 'undefined') || (ts.isStringLiteralLike(n) && n.text === 'undefined');
      const subject = (n: ts.Expression) => (ts.isTypeOfExpression(n) ? n.expression : n);
      return (empty(y) && sameTarget(ev, subject(x), target)) || (empty(x) && sameTarget(ev, subject(y), target));
    }
  }
  return false;
}

/** The same variable or the same property path on the same variable (`this._page`, `cache.page`). */
function sameTarget(ev: FileEvaluator, a0: ts.Expression, b0: ts.Expression): boolean {
  const a = skipOuter(a0);
  const b = skipOuter(b0);
  if (a.kind === ts.SyntaxKind.ThisKeyword && b.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isIdentifier(a) && ts.isIdentifier(b)) return a.text === b.text && ev.scopes.resolve(a) === ev.scopes.resolve(b);
  if (ts.isPropertyAccessExpression(a) && ts.isPropertyAccessExpression(b)) return a.name.text === b.name.text && sameTarget(ev, a.expression, b.expression);
  return false;
}

/**
 * A variable of the assigning function itself (a local or a parameter: `let { body } = options;
 * if (!body) body = read()`): a default filled in on each call, not a value kept between calls.
 */
function isCallLocal(ev: FileEvaluator, e: ts.Expression): boolean {
  const id = skipOuter(e);
  const b = ts.isIdentifier(id) ? ev.scopes.resolve(id) : undefined;
  if (!b) return false;
  const scope = scopeOf(id);
  return !ts.isSourceFile(scope) && scopeOf(b.decl) === scope;
}

/** An object the storing function creates on each call (`const reply = {}`, `new Ref()`): its fields are not a cache. */
function isLocalHolder(ev: FileEvaluator, e: ts.Expression): boolean {
  const id = skipOuter(e);
  const b = ts.isIdentifier(id) ? ev.scopes.resolve(id) : undefined;
  if (!b || !ts.isVariableDeclaration(b.decl) || b.path.length > 0 || ts.isSourceFile(scopeOf(b.decl)) || scopeOf(b.decl) !== scopeOf(id)) return false;
  const init = b.decl.initializer && skipOuter(b.decl.initializer);
  return !!init && (ts.isObjectLiteralExpression(init) || ts.isNewExpression(init));
}

/** The declarations of variables that a source's bytes are assigned to (`icon = createIcon(buf)` too). */
const storeIndex = new WeakMap<FileEvaluator, Map<Source, ts.Node[]>>();
function storedIn(ev: FileEvaluator, src: Source): ts.Node[] {
  let index = storeIndex.get(ev);
  if (!index) {
    index = new Map();
    for (const a of ev.scopes.identifierAssignments()) {
      const b = ev.scopes.resolve(skipOuter(a.left) as ts.Identifier);
      if (!b || !ts.isVariableDeclaration(b.decl)) continue;
      // What the right side is made from counts too: `icon = createIcon(buf)` keeps buf's bytes.
      const right = skipOuter(a.right);
      const parts = [a.right, ...(ts.isCallExpression(right) || ts.isNewExpression(right) ? (right.arguments ?? []) : [])];
      for (const s of parts.flatMap((p) => sourcesIn(ev, ev.eval(p)))) {
        const list = index.get(s) ?? [];
        list.push(b.decl);
        index.set(s, list);
      }
    }
    storeIndex.set(ev, index);
  }
  return index.get(src) ?? [];
}

/** Sources among values, looking one level into object literals. */
function sourcesIn(ev: FileEvaluator, vals: Val[], depth = 0): Source[] {
  const out: Source[] = [];
  for (const v of vals) {
    if (v.t === 'src') out.push(v.src);
    else if (v.t === 'obj' && depth === 0) {
      const file = v.file as FileEvaluator;
      for (const p of v.node.properties) {
        if (ts.isPropertyAssignment(p)) out.push(...sourcesIn(file, file.eval(p.initializer), 1));
        else if (ts.isShorthandPropertyAssignment(p)) out.push(...sourcesIn(file, file.eval(p.name), 1));
      }
    }
  }
  return out;
}

/** Whether the arguments of a call (or the node itself) read one of these variables. */
function mentionsAny(ev: FileEvaluator, node: ts.Node, decls: ts.Node[]): boolean {
  // By name: a part of an edited file (parts.ts) is analysed over the whole file's nodes.
  if (node.getSourceFile().fileName !== ev.fileName) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n)) {
      const b = ev.scopes.resolve(n);
      if (b && decls.includes(b.decl)) found = true;
    } else ts.forEachChild(n, visit);
  };
  if (ts.isCallExpression(node)) node.arguments.forEach(visit);
  else visit(node);
  return found;
}
