import type ts from 'typescript';
import type { Transport } from './types';

/** One hop of a value's journey, kept on the value so a finding can show the whole path. */
export interface Step {
  node: ts.Node;
  sf: ts.SourceFile;
  message: string;
  /** The bytes crossed a call here (an argument passed, a value returned). */
  call?: boolean;
  /** The bytes were stored in this variable (its declaration). */
  binding?: ts.Node;
}

/** A call that really reads a file through Node's file system. */
export interface Source {
  node: ts.CallExpression | ts.NewExpression;
  callee: ts.Expression;
  sf: ts.SourceFile;
  /** whole: the file in memory at once; stream: a ReadStream; chunk: a buffer filled by read(). */
  form: 'whole' | 'stream' | 'chunk';
  api: string;
}

export type SinkClass =
  | 'http-response'
  | 'socket'
  | 'http-request'
  | 'http2-stream'
  | 'koa-ctx'
  | 'fastify-reply'
  | 'hapi-toolkit'
  /** Hono's context: `c.body(x)`, `c.html(x)` send. */
  | 'hono-ctx'
  /** What a fetch-style framework sends: a returned `Response`, `sendStream(event, s)`, a handler's return value. */
  | 'framework-body'
  | 'file';

export interface Sink {
  cls: SinkClass;
  transport: Transport;
  /** Inferred from a name (`res`, `ctx`, `reply`) rather than proven by a handler position. */
  guessed: boolean;
  /** Where the sink came from (a handler parameter, a connect call). */
  origin: ts.Node;
}

export type FunctionLike = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration | ts.ConstructorDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration;

/** The abstract values the evaluator computes. Anything it does not model is simply absent. */
export type Val =
  | { t: 'require' }
  | { t: 'mod'; name: string }
  | { t: 'fsfn'; name: string; flavor: FsFlavor }
  | { t: 'modfn'; mod: string; name: string }
  | { t: 'fh' }
  | { t: 'src'; src: Source; trail: Step[] }
  | { t: 'promise'; of: Val[] }
  | { t: 'sink'; sink: Sink }
  | { t: 'server'; proto: ServerProto }
  | { t: 'param'; fn: FunctionLike; index: number; path: Array<string | number> }
  /**
   * A read through an object a parameter holds (`this.#fs.read(fd, buf, …)` with `#fs` the constructor's
   * `options.fs`): file bytes at a call site that passes Node's fs there (substitute), nothing otherwise.
   */
  | { t: 'readVia'; fn: FunctionLike; index: number; path: Array<string | number>; call: ts.CallExpression; form: 'whole' | 'chunk'; api: string; file: FileRef }
  | { t: 'fn'; node: FunctionLike; file: FileRef }
  | { t: 'obj'; node: ts.ObjectLiteralExpression; file: FileRef }
  | { t: 'arr'; node: ts.ArrayLiteralExpression; file: FileRef }
  /** What `Promise.all([…])` resolves to: each element's values. */
  | { t: 'tuple'; items: Val[][] }
  /** What a generator yields (a `for of` / `for await` sees these). */
  | { t: 'iter'; of: Val[] }
  | { t: 'xmod'; file: FileRef }
  /** The global object (`global`, `globalThis`) as one file sees it: what the file stores on it, read back. */
  | { t: 'global'; file: FileRef }
  | { t: 'readResult'; src: Source; trail: Step[] }
  | { t: 'cls'; node: ts.ClassLikeDeclaration; file: FileRef }
  | { t: 'inst'; node: ts.ClassLikeDeclaration; file: FileRef }
  /** A multipart body built with the `form-data` package: the parts appended to it are sent verbatim. */
  | { t: 'form'; node: ts.CallExpression | ts.NewExpression; file: FileRef }
  /**
   * An EventEmitter: `new EventEmitter()` (node: the creation) or an instance of a class extending it
   * (node: the class). Listeners of an event receive what its `emit` calls pass (evaluator: emitters).
   */
  | { t: 'emitter'; node: ts.Node; file: FileRef }
  /** An application of a fetch-style framework (`new Hono()`): its route methods' handlers get `context` as their first parameter. */
  | { t: 'app'; context: SinkClass }
  /** A `Transform` or `PassThrough` stream created here (an identity one passes piped bytes on unchanged). */
  | { t: 'through'; node: ts.CallExpression | ts.NewExpression; file: FileRef }
  /**
   * `base` with properties stored into it by a call whose result it is: `Object.defineProperty(o, 'k', d)`,
   * or a helper that fills its parameter and returns it (esbuild's `__toESM`, `__copyProps`).
   */
  | { t: 'with'; base: Val[]; stores: Store[] };

/**
 * What a store puts into an object: values under a name (`vals`), property descriptors under a name
 * or under the key each descriptor names itself (`descs`, Babel's `{ key, value }`), or every
 * property of other objects (`copies`; with `getter`, each of their properties is a getter).
 */
export interface Store {
  key?: string;
  vals?: Val[];
  descs?: Val[];
  copies?: Val[];
  getter?: boolean;
}

/** Which fs flavour a function came from: callback-style `fs`, promise `fs/promises`, or a FileHandle. */
export type FsFlavor = 'cb' | 'promise' | 'handle';
export type ServerProto = 'http' | 'https' | 'http2' | 'net' | 'tls' | 'unknown';

/** Opaque handle on a file's analysis, so values can point into other files. */
export interface FileRef {
  readonly fileName: string;
  readonly sf: ts.SourceFile;
}

const MAX_TRAIL = 12;
export function withStep(v: Val, step: Step): Val {
  if (v.t === 'promise') return { t: 'promise', of: v.of.map((x) => withStep(x, step)) };
  if (v.t !== 'src' || v.trail.length >= MAX_TRAIL) return v;
  const last = v.trail[v.trail.length - 1];
  if (last && last.node === step.node) return v;
  return { ...v, trail: [...v.trail, step] };
}

/** Appends `b` to `a`, dropping exact duplicates (same object) and capping the size. */
export function union(a: Val[], b: Val[]): Val[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out = a.slice();
  for (const v of b) if (!out.includes(v) && out.length < 64) out.push(v);
  return out;
}
