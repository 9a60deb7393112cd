import ts from 'typescript';
import { calleeCore, propertyNameText, skipOuter, type Scopes } from './scope';

/**
 * Where a file stores values under properties of objects, found syntactically; the evaluator
 * decides which object each store fills (evaluator.ts, "stores"). Besides `o.k = v`, the shapes
 * compilers and hand-written modules use to fill objects:
 * - `o['k'] = v`, and `o[k] = src[k]` (every property of `src` copied under its own name);
 * - `Object.defineProperty(o, 'k', { value | get })`, with a computed key copying `src[k]`
 *   (`{ get: () => src[k] }`, `Object.getOwnPropertyDescriptor(src, k)`, esbuild's `{ get: all[k] }`),
 *   or with a descriptor that names its own key (`{ key: 'm', value: f }`, Babel's `_createClass`);
 * - `Object.assign(o, src…)`, `Object.defineProperties(o, { k: desc })`;
 * - calls of the project's functions that do any of these to their parameters (summaries).
 */

/** A member assignment that stores under a name (`o.k = v`, `o['k'] = v`) or copies (`o[k] = src[k]`). */
export interface MemberStore {
  assignment: ts.BinaryExpression;
  holder: ts.Expression;
  /** The property name; undefined for a copy. */
  key?: string;
  /** For a copy: the object whose properties are copied. */
  copyOf?: ts.Expression;
}

export interface FileStores {
  /** Named member stores by name (receivers other than `this`: those are the evaluator's `thisAssigned`). */
  byKey: Map<string, MemberStore[]>;
  /** Copies under computed keys (`o[k] = src[k]`), whatever the receiver. */
  copies: MemberStore[];
  /** Calls that may store into an argument (`Object.defineProperty`, `Object.assign`, a helper). */
  calls: ts.CallExpression[];
}

const memo = new WeakMap<Scopes, FileStores>();

export function fileStores(scopes: Scopes): FileStores {
  let stores = memo.get(scopes);
  if (stores) return stores;
  stores = { byKey: new Map(), copies: [], calls: [] };
  for (const a of scopes.memberAssignments) {
    if (a.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const left = skipOuter(a.left);
    if (ts.isPropertyAccessExpression(left)) {
      if (left.expression.kind === ts.SyntaxKind.ThisKeyword) continue;
      add(stores.byKey, left.name.text, { assignment: a, holder: left.expression, key: left.name.text });
    } else if (ts.isElementAccessExpression(left)) {
      const arg = skipOuter(left.argumentExpression);
      if (ts.isStringLiteralLike(arg)) {
        if (left.expression.kind !== ts.SyntaxKind.ThisKeyword) add(stores.byKey, arg.text, { assignment: a, holder: left.expression, key: arg.text });
        continue;
      }
      const from = copiedFrom(a.right, arg, scopes);
      if (from) stores.copies.push({ assignment: a, holder: left.expression, copyOf: from });
      // `o[k] = v` under a key not known here (Babel's `_defineProperty(obj, key, value)` for `{ [k]: v }`):
      // a store under some property, which a read of any property (`o[x]`, a body's every field) finds.
      else if (left.expression.kind !== ts.SyntaxKind.ThisKeyword && !isNumericKey(arg)) add(stores.byKey, ANY_KEY, { assignment: a, holder: left.expression, key: ANY_KEY });
    }
  }
  for (const c of scopes.calls) if (ts.isCallExpression(c) && mayStore(c)) stores.calls.push(c);
  memo.set(scopes, stores);
  return stores;
}

/** The key of a store whose property is not known statically; the evaluator reads it as `*` (any property). */
export const ANY_KEY = '*';

/** `a[0]`, `a[i + 1]`, `a[a.length]`: an array's element, not an object's field. */
function isNumericKey(key: ts.Expression): boolean {
  return ts.isNumericLiteral(key) || ts.isBinaryExpression(key) || (ts.isPropertyAccessExpression(key) && key.name.text === 'length');
}

function add(map: Map<string, MemberStore[]>, key: string, s: MemberStore): void {
  const list = map.get(key);
  if (list) list.push(s);
  else map.set(key, [s]);
}

/**
 * A call that may store into one of its arguments: `Object.defineProperty/defineProperties/assign`
 * (maybe aliased: `var __defProp = Object.defineProperty`), or a function called by name or
 * through a module or object, with arguments to store into.
 */
function mayStore(c: ts.CallExpression): boolean {
  if (c.arguments.length === 0) return false;
  const callee = calleeCore(c.expression);
  if (ts.isIdentifier(callee)) return callee.text !== 'require';
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const name = callee.name.text;
  if (name === 'defineProperty' || name === 'defineProperties' || name === 'assign') return true;
  const recv = skipOuter(callee.expression);
  return c.arguments.length >= 2 && ts.isIdentifier(recv);
}

/**
 * For a value stored under computed key `key`: the object it is copied from when the value is
 * `src[key]` (the same key, or a variable assigned from it: tsc's `if (k2 === undefined) k2 = k`).
 */
export function copiedFrom(value: ts.Expression, key: ts.Expression, scopes: Scopes): ts.Expression | undefined {
  const v = skipOuter(value);
  if (!ts.isElementAccessExpression(v)) return undefined;
  return sameKey(v.argumentExpression, key, scopes) ? v.expression : undefined;
}

/** Two key expressions naming the same key: one variable, or one assigned from the other. */
export function sameKey(a0: ts.Expression, b0: ts.Expression, scopes: Scopes): boolean {
  const a = skipOuter(a0);
  const b = skipOuter(b0);
  if (!ts.isIdentifier(a) || !ts.isIdentifier(b)) return false;
  const ba = scopes.resolve(a);
  const bb = scopes.resolve(b);
  if (!ba || !bb) return false;
  if (ba === bb) return true;
  const assignedFrom = (x: typeof ba, y: typeof bb): boolean => scopes.assignmentsOf(x).some((rhs) => ts.isIdentifier(skipOuter(rhs)) && scopes.resolve(skipOuter(rhs) as ts.Identifier) === y);
  return assignedFrom(ba, bb) || assignedFrom(bb, ba);
}

/** How a property descriptor under computed key `key` copies another object's property. */
export interface DescriptorCopy {
  from: ts.Expression;
  /** `{ get: src[k] }`: each of `src`'s properties is a getter whose result is the value. */
  getter: boolean;
}

/**
 * The copy a descriptor expresses for computed key `key`: `{ value: src[k] }`, `{ get: () => src[k] }`,
 * `{ get() { return src[k] } }`, `{ get: src[k] }`, `Object.getOwnPropertyDescriptor(src, k)`, or a
 * variable holding one of these (tsc's `__createBinding`).
 */
export function descriptorCopy(desc0: ts.Expression, key: ts.Expression, scopes: Scopes, depth = 0): DescriptorCopy | undefined {
  const desc = skipOuter(desc0);
  if (ts.isObjectLiteralExpression(desc)) {
    for (const p of desc.properties) {
      const name = p.name && propertyNameText(p.name);
      if (name === 'value' && ts.isPropertyAssignment(p)) {
        const from = copiedFrom(p.initializer, key, scopes);
        if (from) return { from, getter: false };
      }
      if (name !== 'get') continue;
      if (ts.isPropertyAssignment(p)) {
        const from = copiedFrom(p.initializer, key, scopes);
        if (from) return { from, getter: true };
        const fn = skipOuter(p.initializer);
        const returned = (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && onlyReturn(fn);
        const copied = returned && copiedFrom(returned, key, scopes);
        if (copied) return { from: copied, getter: false };
      } else if (ts.isMethodDeclaration(p) || ts.isGetAccessorDeclaration(p)) {
        const returned = onlyReturn(p);
        const copied = returned && copiedFrom(returned, key, scopes);
        if (copied) return { from: copied, getter: false };
      }
    }
    return undefined;
  }
  if (ts.isCallExpression(desc)) {
    const callee = skipOuter(desc.expression);
    const [src, k] = desc.arguments;
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'getOwnPropertyDescriptor' && src && k && sameKey(k, key, scopes)) return { from: src, getter: false };
    return undefined;
  }
  if (ts.isIdentifier(desc) && depth < 2) {
    const b = scopes.resolve(desc);
    if (!b || b.path.length > 0) return undefined;
    const inits = ts.isVariableDeclaration(b.decl) && b.decl.initializer ? [b.decl.initializer, ...scopes.assignmentsOf(b)] : scopes.assignmentsOf(b);
    for (const init of inits) {
      const copy = descriptorCopy(init, key, scopes, depth + 1);
      if (copy) return copy;
    }
  }
  return undefined;
}

/** The expression a function returns when its body is one return (or an arrow's expression). */
function onlyReturn(fn: ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration | ts.GetAccessorDeclaration): ts.Expression | undefined {
  if (!fn.body) return undefined;
  if (!ts.isBlock(fn.body)) return fn.body;
  const [only] = fn.body.statements;
  return fn.body.statements.length === 1 && only && ts.isReturnStatement(only) ? only.expression : undefined;
}

/** A descriptor object that names its own key (`{ key: 'start', value: function start() {…} }`): that key. */
export function ownKey(obj: ts.ObjectLiteralExpression): string | undefined {
  for (const p of obj.properties) {
    if (!ts.isPropertyAssignment(p) || propertyNameText(p.name) !== 'key') continue;
    const v = skipOuter(p.initializer);
    return ts.isStringLiteralLike(v) ? v.text : undefined;
  }
  return undefined;
}
