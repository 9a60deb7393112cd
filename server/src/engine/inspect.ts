import ts from 'typescript';
import { isFunctionScope, skipOuter } from './scope';
import { BYTE_VIEW_TYPES, METADATA_PROPS, SAME_BYTES_PROPS, SEND_METHODS, UNCHANGED_ENCODINGS } from './apis';
import type { FileEvaluator } from './evaluator';
import { passesBytesOn } from './frameworks';
import { sendsAsTheyAre } from './clients';
import type { Source } from './values';
import type { Binding } from './scope';

const SEND = new Set(Object.values(SEND_METHODS).flat());
/** Calls that hand the bytes on without looking at them. */
const PASS_METHODS = new Set(['pipe', 'on', 'once', 'then', 'catch', 'finally', 'push', 'resolve']);

/**
 * Whether code in `ev`'s file reads the bytes of whole-file source `src` (hashes them, searches
 * them, sniffs a header, parses them for a check) — as opposed to only forwarding them. That is the
 * difference between `sendfile` (bytes never needed in user space) and `mmap` (needed, but no copy).
 */
export function readsPayload(ev: FileEvaluator, src: Source, onPath?: ReadonlySet<ts.Node>): boolean {
  const carriers = new Set(carriersOf(ev).get(src) ?? []);
  for (const b of carriers) {
    if (onPath && !ownsSentBytes(b, onPath)) continue;
    for (const ref of ev.scopes.refsOf(b as Binding)) if (isInspection(ev, ref, carriers)) return true;
  }
  return false;
}

/**
 * Whether a carrier can hold the very bytes that are sent: declared at module scope, a parameter
 * (handed in by a caller), or a variable of a function the sent bytes pass through. A local of
 * another function got its bytes from a read of its own (`scriptContents = this.#getFile(f)` to
 * hash and inline them): inspecting them does not inspect what another path sends.
 */
function ownsSentBytes(b: Binding, onPath: ReadonlySet<ts.Node>): boolean {
  if (b.kind === 'param') return true;
  for (let n = b.decl.parent; n; n = n.parent) {
    if (ts.isSourceFile(n)) return true;
    if (isFunctionScope(n)) return onPath.has(n);
  }
  return true;
}

/** The functions the bytes of a flow pass through: around its source, each step and the sink operation. */
export function functionsOnPath(nodes: readonly ts.Node[]): Set<ts.Node> {
  const out = new Set<ts.Node>();
  for (const node of nodes) for (let n = node.parent; n && !ts.isSourceFile(n); n = n.parent) if (isFunctionScope(n)) out.add(n);
  return out;
}

/** For each source, the variables that hold its bytes unchanged; computed once per file. */
const carrierIndex = new WeakMap<FileEvaluator, Map<Source, Binding[]>>();
function carriersOf(ev: FileEvaluator): Map<Source, Binding[]> {
  let index = carrierIndex.get(ev);
  if (index) return index;
  index = new Map();
  for (const b of ev.scopes.all) {
    for (const v of ev.valueOf(b)) {
      if (v.t !== 'src') continue;
      const list = index.get(v.src) ?? [];
      if (!list.includes(b)) list.push(b);
      index.set(v.src, list);
    }
  }
  carrierIndex.set(ev, index);
  return index;
}

function isInspection(ev: FileEvaluator, ref: ts.Identifier, carriers: Set<unknown>): boolean {
  let e: ts.Node = ref;
  for (;;) {
    const p = e.parent;
    if (!p) return false;
    if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isAwaitExpression(p)) {
      e = p;
      continue;
    }
    if (ts.isPropertyAccessExpression(p) && p.expression === e) {
      const name = p.name.text;
      if (METADATA_PROPS.has(name)) return false;
      // `buf.buffer`: the same bytes as an ArrayBuffer; what is done with it decides.
      if (SAME_BYTES_PROPS.has(name) && !(ts.isCallExpression(p.parent) && p.parent.expression === p)) {
        e = p;
        continue;
      }
      const call = p.parent;
      if (ts.isCallExpression(call) && call.expression === p) {
        if (name === 'slice' || name === 'subarray') {
          e = call;
          continue;
        }
        if (name === 'toString') {
          const enc = call.arguments[0] && skipOuter(call.arguments[0]);
          if (!enc || (ts.isStringLiteralLike(enc) && UNCHANGED_ENCODINGS.has(enc.text.toLowerCase()))) {
            e = call;
            continue;
          }
          return !isTransformBranch(ev, call, carriers);
        }
        if (PASS_METHODS.has(name)) return false;
        // indexOf, includes, equals, readUInt32BE, toString('hex'), replace, split…
        return !isTransformBranch(ev, call, carriers);
      }
      // `typeof body.pipe === 'function'` asks what kind of value it is, not what bytes it holds.
      return !ts.isTypeOfExpression(skipParens(p).parent);
    }
    // `total[i] = chunk[j]` copies a byte unchanged from one buffer into another (evaluator byteCopies): no look at it.
    if (ts.isElementAccessExpression(p) && p.expression === e) return !isByteCopy(p);
    if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(e as ts.Expression)) {
      const helper = helperReads(ev, p, p.arguments.indexOf(e as ts.Expression));
      if (helper !== undefined) return helper;
      if (passesOn(ev, p)) return false;
      return !isTransformBranch(ev, p, carriers);
    }
    if (ts.isBinaryExpression(p)) {
      const op = p.operatorToken.kind;
      return op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken
        ? !isNullishLiteral(p.left === e ? p.right : p.left)
        : false;
    }
    return false;
  }
}

/** Either side of `dst[i] = src[j]`: a byte read from one buffer and stored, unchanged, into another. */
function isByteCopy(access: ts.ElementAccessExpression): boolean {
  let e: ts.Node = access;
  while (e.parent && ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const a = e.parent;
  if (!a || !ts.isBinaryExpression(a) || a.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  return a.right === e ? ts.isElementAccessExpression(skipOuter(a.left)) : ts.isElementAccessExpression(skipOuter(a.right));
}

function skipParens(n: ts.Node): ts.Node {
  while (n.parent && ts.isParenthesizedExpression(n.parent)) n = n.parent;
  return n;
}

function isNullishLiteral(e: ts.Expression): boolean {
  const x = skipOuter(e);
  return x.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(x) && x.text === 'undefined') || ts.isStringLiteralLike(x) && x.text === '' || ts.isTypeOfExpression(x);
}

/** A call that forwards its argument: a sink write, a local helper, a callback, Buffer.concat… */
function passesOn(ev: FileEvaluator, call: ts.CallExpression | ts.NewExpression): boolean {
  const callee = skipOuter(call.expression);
  // Sent as they are: an HTTP client's body, a wrapper of bytes, a multipart part (clients.ts).
  if (sendsAsTheyAre(callee, (e) => ev.eval(e))) return true;
  if (ts.isPropertyAccessExpression(callee)) {
    const obj = skipOuter(callee.expression);
    if (ts.isIdentifier(obj) && (obj.text === 'console' || obj.text === 'Buffer' || BYTE_VIEW_TYPES.has(obj.text) || obj.text === 'Promise' || obj.text === 'process')) return true;
    if (SEND.has(callee.name.text) || PASS_METHODS.has(callee.name.text)) return true;
  }
  if (ts.isIdentifier(callee) && BYTE_VIEW_TYPES.has(callee.text)) return true;
  if (ts.isIdentifier(callee) && (callee.text === 'String' || callee.text === 'resolve' || callee.text === 'cb' || callee.text === 'callback' || callee.text === 'done' || callee.text === 'next')) return true;
  return ev.eval(callee).some((v) => v.t === 'fn' || v.t === 'param' || v.t === 'fsfn' || v.t === 'xmod' || (v.t === 'modfn' && (v.name === 'pipeline' || passesBytesOn(v.mod, v.name) || (v.mod === 'stream.Readable' && v.name === 'toWeb'))));
}

/** `opts.minify ? minify(data) : data` — a transform on an optional branch, the other branch sends the bytes unchanged. */
function isTransformBranch(ev: FileEvaluator, call: ts.Node, carriers: Set<unknown>): boolean {
  let e: ts.Node = call;
  for (;;) {
    const p = e.parent;
    if (!p) return false;
    if (ts.isParenthesizedExpression(p) || ts.isConditionalExpression(p) && p.condition !== e || ts.isBinaryExpression(p) && (p.operatorToken.kind === ts.SyntaxKind.BarBarToken || p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) || ts.isAwaitExpression(p)) {
      e = p;
      continue;
    }
    if (ts.isVariableDeclaration(p) && p.initializer === e && ts.isIdentifier(p.name)) {
      const b = ev.scopes.declaredBy(p.name);
      return !!b && carriers.has(b);
    }
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === e && ts.isIdentifier(skipOuter(p.left))) {
      const b = ev.scopes.resolve(skipOuter(p.left) as ts.Identifier);
      return !!b && carriers.has(b);
    }
    if (ts.isCallExpression(p) && p.arguments.includes(e as ts.Expression) && ts.isPropertyAccessExpression(p.expression) && SEND.has(p.expression.name.text)) {
      // `res.end(gzip(data))`: what is sent is the transformed bytes — a transform, not a look at them.
      return true;
    }
    return false;
  }
}

/**
 * Whether a local (or imported) function reads the bytes it receives as argument `index`:
 * `typeOf(buf)` sniffing a header, `etagOf(body)` hashing. Undefined when the callee is not ours.
 */
const helperMemo = new WeakMap<ts.Node, Map<number, boolean>>();
function helperReads(ev: FileEvaluator, call: ts.CallExpression | ts.NewExpression, index: number): boolean | undefined {
  const fns = ev.calleeFunctions(call.expression);
  if (fns.length === 0) return undefined;
  return fns.some((f) => {
    const memo = helperMemo.get(f.node) ?? new Map<number, boolean>();
    helperMemo.set(f.node, memo);
    const hit = memo.get(index);
    if (hit !== undefined) return hit;
    memo.set(index, false); // recursion: assume it does not, until shown otherwise
    const fev = f.file as FileEvaluator;
    const p = f.node.parameters[index];
    const b = p && ts.isIdentifier(p.name) ? fev.scopes.declaredBy(p.name) : undefined;
    const reads = !!b && fev.scopes.refsOf(b).some((ref) => isInspection(fev, ref, new Set([b])));
    memo.set(index, reads);
    return reads;
  });
}
