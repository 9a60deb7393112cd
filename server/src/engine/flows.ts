import ts from 'typescript';
import { calleeCore, skipOuter } from './scope';
import { fsApi, fsWriteNames, PIPE_TARGETS, SEND_METHODS } from './apis';
import { FileEvaluator, restElements } from './evaluator';
import { replacedAt } from './branches';
import { codeSpan } from './codeSpan';
import { CLIENT_CALL_NAMES, callTransport, clientFunction, REQUEST_BODY_METHODS, type ClientFunction } from './clients';
import { withStep, type FunctionLike, type Step, type Val } from './values';
import { FRAMEWORKS, handlerArg, responseBodyArg, RESPONSE_NAMES, senderArg, writerArg, writerMethods } from './frameworks';

/**
 * A path from bytes (a source, or a parameter standing for one) to a place they are written
 * (a sink, or a parameter standing for one). Open flows (with a parameter on either end) are a
 * function's summary: they close at its call sites, in this file or in the files importing it.
 */
export interface Flow {
  payload: Val;
  sink: Val;
  /** What the sink does with the bytes: a send method (`end`, `write`…), `pipe`, `body`, `write-file`, `upload` (an HTTP client's body). */
  method: string;
  /** The sink operation. */
  event: Step;
  /** Call sites the flow was carried through, outermost last. */
  via: Step[];
}

const ALL_SEND_METHODS = new Set(Object.values(SEND_METHODS).flat());
const WRITE_OR_PIPELINE = new Set([...fsWriteNames(), 'pipeline']);
/** Names a framework's sender or handler wrapper may be called by as a method (`h3.sendStream`). */
const FRAMEWORK_CALLS = new Set(FRAMEWORKS.flatMap((m) => [...Object.keys(m.senders ?? {}), ...Object.keys(m.handlers ?? {}), ...Object.keys(m.writers ?? {})]));

/** The called name: `b` in `a.b(…)`, `f` in `f(…)` and in compiled `(0, m.f)(…)`. */
function calleeName(callee: ts.Expression): string {
  let e = skipOuter(callee);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) e = skipOuter(e.right);
  return ts.isPropertyAccessExpression(e) ? e.name.text : ts.isIdentifier(e) ? e.text : '';
}
/** A bound on the flows one file may hold: pathological code stops growing here, never hangs. */
export const MAX_FLOWS = 20_000;

export class FileFlows {
  readonly concrete: Flow[] = [];
  private readonly open = new Map<FunctionLike, Flow[]>();
  private readonly seen = new Set<string>();
  /** Open flows not yet instantiated at the call sites of their function. */
  private readonly pending: Flow[] = [];
  private calls: ReadonlyArray<ts.CallExpression | ts.NewExpression> = [];

  constructor(readonly ev: FileEvaluator) {
    this.collect();
    this.closeAtCallSites();
  }

  /** How many flows (open and closed) were kept: MAX_FLOWS bounds this. */
  get count(): number {
    return this.seen.size;
  }

  /** Whether a flow was dropped at the bound: the file's findings may then be incomplete. */
  truncated = false;

  /** The open flows of function `fn` of this file: its summary for callers. */
  summaryOf(fn: FunctionLike): Flow[] {
    return this.open.get(fn) ?? [];
  }

  private add(flow: Flow): boolean {
    const key = flowKey(flow);
    if (this.seen.has(key)) return false;
    if (this.seen.size >= MAX_FLOWS) {
      this.truncated = true;
      return false;
    }
    this.seen.add(key);
    const owner = ownerOf(flow);
    if (!owner) {
      if (isApplicable(flow) && !rewritesInPlace(flow, this.ev)) this.concrete.push(flow);
      return true;
    }
    const list = this.open.get(owner) ?? [];
    list.push(flow);
    this.open.set(owner, list);
    this.pending.push(flow);
    return true;
  }

  private event(payloads: Val[], sinks: Val[], method: string, node: ts.Node, message: string): void {
    const interesting = payloads.filter((p) => p.t === 'src' || p.t === 'param');
    if (interesting.length === 0) return;
    const targets = sinks.filter((s) => s.t === 'sink' || s.t === 'param');
    for (const payload of interesting) for (const sink of targets) this.add({ payload, sink, method, event: this.ev.step(node, message), via: [] });
  }

  private collect(): void {
    const ev = this.ev;
    const scopes = ev.scopes;
    this.calls = scopes.calls;
    for (const call of scopes.calls) if (ts.isCallExpression(call)) this.callEvent(call);
    for (const n of scopes.memberAssignments) {
      const left = skipOuter(n.left);
      if (n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(left) && left.name.text === 'body') {
        const holders = ev.eval(left.expression).filter((v) => (v.t === 'sink' && v.sink.cls === 'koa-ctx') || v.t === 'param');
        if (holders.length) this.event(ev.eval(n.right), holders, 'body', n, `assigned to ${codeSpan(left.getText(ev.sf))}, which sends it`);
      }
    }
    for (const fn of scopes.functions) if (isFunctionWithReplyParam(fn)) this.returnEvents(fn as FunctionLike);
    for (const c of scopes.calls) if (RESPONSE_NAMES.has(calleeName(c.expression))) this.responseEvent(c);
  }

  /** `new Response(body)` (or a framework's response class) returned by a function: the framework sends the body. */
  private responseEvent(c: ts.CallExpression | ts.NewExpression): void {
    const handlers = returnedBy(c, this.ev);
    if (handlers.length === 0) return;
    for (const f of this.ev.eval(calleeCore(c.expression))) {
      const index = f.t === 'modfn' ? responseBodyArg(f.mod, f.name) : undefined;
      const body = index === undefined ? undefined : c.arguments?.[index];
      if (!body || ts.isSpreadElement(body)) continue;
      const sinks = handlers.map((h): Val => ({ t: 'sink', sink: { cls: 'framework-body', transport: 'unknown', guessed: false, origin: h } }));
      this.event(this.ev.streamed(this.ev.eval(body)), sinks, 'body', c, `the body of a ${codeSpan(calleeName(c.expression))} the handler returns, which the framework sends`);
    }
  }

  /**
   * A callback given a writer onto the response (`stream(c, async (s) => { await s.pipe(body) })`):
   * what the writer's methods are given is sent. The sink belongs to the function making the call
   * (the request handler), like a sender's.
   */
  private writerEvents(fn: FunctionLike, call: ts.CallExpression, methods: readonly string[]): void {
    const p = fn.parameters[0];
    if (!this.ev.owns(fn) || !p || !ts.isIdentifier(p.name)) return;
    const sink: Val = { t: 'sink', sink: { cls: 'framework-body', transport: 'unknown', guessed: false, origin: enclosingFunction(call) ?? call } };
    for (const c of this.ev.scopes.calls) {
      if (c.pos < fn.pos || c.end > fn.end || !ts.isCallExpression(c) || !c.arguments[0]) continue;
      const callee = skipOuter(c.expression);
      if (!ts.isPropertyAccessExpression(callee) || !methods.includes(callee.name.text)) continue;
      const recv = skipOuter(callee.expression);
      if (!ts.isIdentifier(recv) || this.ev.scopes.resolve(recv)?.decl !== p) continue;
      this.event(this.ev.streamed(this.ev.eval(c.arguments[0])), [sink], 'body', c, `sent to the response by ${codeSpan(callee.getText(this.ev.sf))}`);
    }
  }

  /** A handler given to a framework (`defineEventHandler(h)`): what it returns is sent. */
  private handlerEvents(fn: FunctionLike): void {
    if (!this.ev.owns(fn)) return;
    const sink: Val = { t: 'sink', sink: { cls: 'framework-body', transport: 'unknown', guessed: false, origin: fn } };
    const returned = ts.isArrowFunction(fn) && !ts.isBlock(fn.body) ? [fn.body] : collectReturns(fn);
    for (const r of returned) this.event(this.ev.streamed(this.ev.eval(r)), [sink], 'body', r, 'returned from the handler, which the framework sends');
  }

  private callEvent(call: ts.CallExpression): void {
    const ev = this.ev;
    const callee = skipOuter(call.expression);
    const args = call.arguments;
    this.uploadEvents(call, callee);
    if (ts.isPropertyAccessExpression(callee)) {
      const name = callee.name.text;
      if (name === 'pipe' && args[0]) {
        const from = ev.eval(callee.expression);
        const into = ev.eval(args[0]);
        this.event(ev.streamed(from), into, 'pipe', call, `piped into ${codeSpan(args[0].getText(ev.sf))}`);
        // A multipart form-data body is a request body (clients.ts): piped into a destination the analysis
        // cannot see (a request another package hands to a callback), it is still an upload.
        const forms = from.filter((v) => v.t === 'form');
        if (forms.length && !into.some((v) => v.t === 'sink')) {
          const request: Val = { t: 'sink', sink: { cls: 'http-request', transport: 'unknown', guessed: false, origin: call } };
          this.event(ev.streamed(forms), [request], 'pipe', call, `the multipart body piped into ${codeSpan(args[0].getText(ev.sf))}, a request`);
        }
        return;
      }
      if (ALL_SEND_METHODS.has(name) && args[0]) {
        const recv = ev.eval(callee.expression).filter((v) => v.t === 'sink' || v.t === 'param');
        if (recv.length) this.event(ev.eval(args[0]), recv, name, call, `written to ${codeSpan(callee.expression.getText(ev.sf))} by ${codeSpan(name)}`);
      }
    }
    // Only a plain name (maybe an alias), a write/pipeline method or a framework's call can be fs's write, pipeline() or a framework's send.
    const name = calleeName(callee);
    if (!ts.isIdentifier(callee) && !WRITE_OR_PIPELINE.has(name) && !FRAMEWORK_CALLS.has(name)) return;
    for (const f of ev.eval(callee)) {
      if (f.t === 'modfn') {
        // A framework's sender (`sendStream(event, stream)`), or a handler whose return value it sends.
        const sent = senderArg(f.mod, f.name);
        if (sent !== undefined && args[sent]) {
          const sink: Val = { t: 'sink', sink: { cls: 'framework-body', transport: 'unknown', guessed: false, origin: enclosingFunction(call) ?? call } };
          this.event(ev.streamed(ev.eval(args[sent]!)), [sink], 'body', call, `sent by ${codeSpan(name)}`);
        }
        const handler = handlerArg(f.mod, f.name);
        if (handler !== undefined && args[handler]) for (const h of ev.calleeFunctions(args[handler]!)) this.handlerEvents(h.node);
        const writer = writerArg(f.mod, f.name);
        if (writer !== undefined && args[writer]) for (const h of ev.calleeFunctions(args[writer]!)) this.writerEvents(h.node, call, writerMethods(f.mod));
      }
      if (f.t === 'modfn' && f.name === 'pipeline' && (f.mod === 'stream' || f.mod === 'stream/promises') && args.length >= 2) {
        this.event(ev.streamed(ev.eval(args[0]!)), ev.eval(args[1]!), 'pipe', call, `piped into ${codeSpan(args[1]!.getText(ev.sf))} by pipeline()`);
      } else if (f.t === 'fsfn') {
        const api = fsApi(f.flavor, f.name);
        if (api && (api.kind === 'write-file' || api.kind === 'write-fd') && api.payloadArg !== undefined && args[api.payloadArg]) {
          const file: Val = { t: 'sink', sink: { cls: 'file', transport: 'file', guessed: false, origin: call } };
          this.event(ev.eval(args[api.payloadArg]!), [file], 'write-file', call, `written to another file by ${codeSpan(f.name)}`);
        }
      }
    }
  }

  /**
   * Bytes an HTTP client sends (clients.ts): a body given to a client call (`fetch(url, { body })`,
   * `axios.post(url, data)`), to a request's `send`/`attach`, or a form-data body `submit`ted.
   */
  private uploadEvents(call: ts.CallExpression, callee: ts.Expression): void {
    const name = calleeName(callee);
    const bodyArg = Object.prototype.hasOwnProperty.call(REQUEST_BODY_METHODS, name) ? REQUEST_BODY_METHODS[name] : undefined;
    if (!ts.isIdentifier(callee) && !CLIENT_CALL_NAMES.has(name) && bodyArg === undefined && name !== 'submit') return;
    const ev = this.ev;
    if (!ev.mayUseHttpClient()) return;
    const args = call.arguments;
    const sinkOf = (fn: ClientFunction): Val => ({ t: 'sink', sink: { cls: 'http-request', transport: callTransport(call, fn, (id) => ev.constantOf(id)), guessed: false, origin: call } });
    for (const f of ev.eval(callee)) {
      const fn = f.t === 'mod' ? clientFunction(f.name, undefined) : f.t === 'modfn' ? clientFunction(f.mod, f.name) : undefined;
      if (!fn?.body) continue;
      let payload: Val[] = [];
      for (const at of fn.body) {
        // Through argumentValues: `(...args) => fetch(...args)` passes its own arguments on.
        const a = ev.argumentValues(call, at.arg);
        if (a) payload = [...payload, ...ev.getPath(a, [...at.path], args[at.arg] ?? call)];
      }
      this.event(ev.streamed(payload), [sinkOf(fn)], 'upload', call, `sent as the body of ${codeSpan(callee.getText(ev.sf))}`);
    }
    if (!ts.isPropertyAccessExpression(callee)) return;
    if (bodyArg !== undefined && args[bodyArg]) {
      const requests = ev.eval(callee.expression).filter((v) => v.t === 'sink' && v.sink.cls === 'http-request');
      if (requests.length) this.event(ev.streamed(ev.eval(args[bodyArg]!)), requests, 'upload', call, `sent in the request by ${codeSpan(name)}`);
    }
    if (name === 'submit') {
      const forms = ev.eval(callee.expression).filter((v) => v.t === 'form');
      if (forms.length) this.event(ev.streamed(forms), [sinkOf({ url: [{ arg: 0, path: [] }] })], 'upload', call, 'the multipart body posted by `submit`');
    }
  }

  /** fastify and hapi send what a handler returns. */
  private returnEvents(fn: FunctionLike): void {
    const p = fn.parameters[1];
    if (!p || !ts.isIdentifier(p.name)) return;
    const holders = this.ev.eval(p.name).filter((v) => v.t === 'sink' && (v.sink.cls === 'fastify-reply' || v.sink.cls === 'hapi-toolkit'));
    if (holders.length === 0) return;
    const returned = ts.isArrowFunction(fn) && !ts.isBlock(fn.body) ? [fn.body] : collectReturns(fn);
    for (const r of returned) this.event(this.ev.eval(r), holders, 'body', r, 'returned from the handler, which sends it');
  }

  /**
   * Closes open flows at call sites: every summary of an imported function once at each call of
   * it, then each open flow of this file, as it appears, at each call of its function (a worklist:
   * every flow is instantiated once; flow keys are finite, so this ends).
   */
  private closeAtCallSites(): void {
    const sites = new Map<FunctionLike, Array<{ call: ts.CallExpression | ts.NewExpression; name: string }>>();
    for (const call of this.calls) {
      if (!this.mayCallOurFunction(call.expression)) continue;
      for (const f of this.ev.calleeFunctions(call.expression)) {
        const calleeFile = f.file as FileEvaluator;
        const name = calleeFile.functionName(f.node);
        // Also another file's function: a flow of this file can open on its parameter (a value it
        // stored in its instance, `form.add(x)`, that this file's sink later sends: `res.end(form.getBuffer())`).
        const list = sites.get(f.node) ?? [];
        list.push({ call, name });
        sites.set(f.node, list);
        if (calleeFile !== this.ev) for (const flow of flowsOf(calleeFile).summaryOf(f.node)) this.instantiate(flow, f.node, call, name);
      }
    }
    while (this.pending.length > 0) {
      const flow = this.pending.pop()!;
      const owner = ownerOf(flow)!;
      for (const site of sites.get(owner) ?? []) this.instantiate(flow, owner, site.call, site.name);
      // A flow of this file open on another file's function (what its method stored, sent here): also
      // closed at that file's own calls of it (`this.bodyAppend(header, value)` in `append`), a few hops at most.
      const ownerEv = this.ev.evaluatorOf(owner.getSourceFile());
      if (ownerEv && ownerEv !== this.ev && flow.via.length < MAX_FOREIGN_HOPS) {
        const name = ownerEv.functionName(owner);
        for (const call of ownerEv.scopes.calls) {
          const callee = calleeCore(call.expression);
          const called = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
          if (called !== name || !ownerEv.calleeFunctions(call.expression).some((f) => f.node === owner)) continue;
          this.instantiate(flow, owner, call, name, ownerEv);
        }
      }
    }
  }

  /**
   * Whether a callee can be a function of this project: a name, or a member of something that
   * holds ours (`this`, a local object, an imported module, a class, or an object a helper filled
   * from one: compiled interop's namespace `__toESM(require('./m'))`). `console.log`, `arr.map`,
   * `res.setHeader` are not worth evaluating.
   */
  private mayCallOurFunction(callee: ts.Expression): boolean {
    const core = calleeCore(callee);
    let root = core;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isCallExpression(root)) root = skipOuter(root.expression);
    if (root === core) return ts.isIdentifier(root);
    if (root.kind === ts.SyntaxKind.ThisKeyword) return true;
    if (!ts.isIdentifier(root)) return false;
    return this.ev.eval(root).some((v) => v.t === 'xmod' || v.t === 'obj' || v.t === 'inst' || v.t === 'cls' || v.t === 'fn' || v.t === 'param' || v.t === 'with');
  }

  private instantiate(flow: Flow, fn: FunctionLike, call: ts.CallExpression | ts.NewExpression, fnName: string, ev: FileEvaluator = this.ev): void {
    const at = ev.step(call, `passed to ${codeSpan(fnName)} here`, { call: true });
    const side = (v: Val): Val[] => {
      if (v.t !== 'param' || v.fn !== fn) return [v];
      if (v === flow.payload && v.path.length === 0 && isReplaced(flow, fn, v.index, ev, call)) return [];
      const rest = restElements(fn, v, call, ev);
      const arg = rest ? rest.vals : ev.argumentValues(call, v.index);
      if (!arg) return [];
      // A multipart form passed in stands for its parts (`upload({ body: form })`).
      return ev.streamed(ev.getPath(arg, rest ? v.path.slice(1) : v.path, call)).filter((x) => x.t === 'src' || x.t === 'sink' || x.t === 'param');
    };
    for (const payload of side(flow.payload)) {
      for (const sink of side(flow.sink)) {
        if (payload === flow.payload && sink === flow.sink) continue;
        this.add({ ...flow, payload, sink, via: [...flow.via, at] });
      }
    }
  }
}

/** Whether `fn` replaces the payload with other bytes before the flow's write, at this call (always, or on a branch its constants decide). */
function isReplaced(flow: Flow, fn: FunctionLike, index: number, caller: FileEvaluator, call: ts.CallExpression | ts.NewExpression): boolean {
  const callee = caller.evaluatorOf(fn.getSourceFile());
  const at = flow.via.length ? flow.via[flow.via.length - 1]!.node : flow.event.node;
  return !!callee && replacedAt(callee, fn, index, at, caller, call);
}

/** How many calls a flow open on another file's function may cross in that file's own code. */
const MAX_FOREIGN_HOPS = 6;

/** Each file's flows are computed once and cached on its evaluator. */
const cache = new WeakMap<FileEvaluator, FileFlows>();
const building = new WeakSet<FileEvaluator>();
export function flowsOf(ev: FileEvaluator): FileFlows {
  let f = cache.get(ev);
  if (f) return f;
  if (building.has(ev)) return EMPTY;
  building.add(ev);
  try {
    f = new FileFlows(ev);
  } finally {
    building.delete(ev);
  }
  cache.set(ev, f);
  return f;
}
const EMPTY = { summaryOf: () => [] as Flow[] } as unknown as FileFlows;

function ownerOf(flow: Flow): FunctionLike | undefined {
  if (flow.payload.t === 'param') return flow.payload.fn;
  if (flow.sink.t === 'param') return flow.sink.fn;
  return undefined;
}

/** Whether a closed flow really writes bytes into a byte sink the way its method says. */
function isApplicable(flow: Flow): boolean {
  if (flow.payload.t !== 'src' || flow.sink.t !== 'sink') return false;
  const cls = flow.sink.sink.cls;
  const form = flow.payload.src.form;
  switch (flow.method) {
    case 'pipe':
      // A whole file can only be piped once wrapped in a stream (Readable.from): still the same bytes;
      // chunks, once pushed by a Readable subclass (evaluator pushedBytes): a hand-written file stream.
      return PIPE_TARGETS.has(cls) && (form === 'stream' || form === 'whole' || form === 'chunk');
    case 'body':
      return cls === 'koa-ctx' || cls === 'fastify-reply' || cls === 'hapi-toolkit' || cls === 'framework-body' || SEND_METHODS[cls].includes('body');
    case 'write-file':
      return cls === 'file';
    case 'upload':
      return cls === 'http-request';
    default:
      return SEND_METHODS[cls].includes(flow.method);
  }
}

/**
 * A file written back to itself (`writeFileSync(f, readFileSync(f).subarray(n))`, a log trimmed in
 * place, a read and a write on one descriptor or FileHandle): not a copy to another file.
 */
function rewritesInPlace(flow: Flow, ev: FileEvaluator): boolean {
  if (flow.payload.t !== 'src' || flow.sink.t !== 'sink' || flow.sink.sink.cls !== 'file') return false;
  const origin = flow.sink.sink.origin;
  if (!ts.isCallExpression(origin) && !ts.isNewExpression(origin)) return false;
  const src = flow.payload.src;
  const read = fileOperand(src.node, ev);
  const written = fileOperand(origin, ev);
  return !!read && !!written && samePlace(read, written, ev);
}

/** What a file call names its file by: the receiver of a FileHandle method, else its first argument (a path or a descriptor). */
function fileOperand(call: ts.CallExpression | ts.NewExpression, ev: FileEvaluator): ts.Expression | undefined {
  const owner = ev.evaluatorOf(call.getSourceFile());
  const callee = calleeCore(call.expression);
  if (owner && ts.isPropertyAccessExpression(callee) && owner.eval(callee.expression).some((v) => v.t === 'fh')) return callee.expression;
  const a = call.arguments?.[0];
  return a && !ts.isSpreadElement(a) ? a : undefined;
}

/** The same expression over the same variables (`file` and `file`, `this.path` and `this.path`), in one file. */
function samePlace(a0: ts.Expression, b0: ts.Expression, ev: FileEvaluator): boolean {
  const a = skipOuter(a0);
  const b = skipOuter(b0);
  const sf = a.getSourceFile();
  if (sf !== b.getSourceFile()) return false;
  const owner = ev.evaluatorOf(sf);
  if (!owner || a.getText(sf).replace(/\s+/g, '') !== b.getText(sf).replace(/\s+/g, '')) return false;
  const ids = (n: ts.Node, out: ts.Identifier[] = []): ts.Identifier[] => {
    if (ts.isIdentifier(n)) out.push(n);
    else ts.forEachChild(n, (c) => void ids(c, out));
    return out;
  };
  const left = ids(a);
  const right = ids(b);
  return left.length === right.length && left.every((id, i) => owner.scopes.resolve(id) === owner.scopes.resolve(right[i]!));
}

function valKey(v: Val): string {
  switch (v.t) {
    case 'src':
      return `src:${v.src.sf.fileName}:${v.src.node.pos}`;
    case 'param':
      return `param:${v.fn.getSourceFile().fileName}:${v.fn.pos}:${v.index}:${v.path.join('.')}`;
    case 'sink':
      return `sink:${v.sink.cls}:${v.sink.transport}:${v.sink.guessed}:${v.sink.origin.getSourceFile().fileName}:${v.sink.origin.pos}`;
    default:
      return v.t;
  }
}

function flowKey(f: Flow): string {
  return `${valKey(f.payload)}|${valKey(f.sink)}|${f.method}|${f.event.sf.fileName}:${f.event.node.pos}`;
}

function isFunctionWithReplyParam(n: ts.Node): boolean {
  if (!(ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n))) return false;
  const p = n.parameters[1];
  return !!p && ts.isIdentifier(p.name) && (p.name.text === 'reply' || p.name.text === 'h');
}

/** The nearest function around a node (the handler a framework call is made in). */
function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (ts.isFunctionLike(n) && !ts.isSourceFile(n)) return n;
  return undefined;
}

/**
 * The functions that return the value of expression `e`: directly (`return new Response(x)`, an
 * arrow's body, through `await`, parentheses, conditionals, `||`), or through a variable they return.
 */
function returnedBy(e: ts.Node, ev: FileEvaluator, depth = 0): ts.Node[] {
  let n: ts.Node = e;
  for (;;) {
    const p = n.parent;
    if (!p) return [];
    if (ts.isParenthesizedExpression(p) || ts.isAwaitExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isSatisfiesExpression(p) || (ts.isConditionalExpression(p) && p.condition !== n)) {
      n = p;
      continue;
    }
    if (ts.isBinaryExpression(p) && p.right === n && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.CommaToken].includes(p.operatorToken.kind)) {
      n = p;
      continue;
    }
    if (ts.isReturnStatement(p)) {
      const fn = enclosingFunction(p);
      return fn ? [fn] : [];
    }
    if (ts.isArrowFunction(p) && p.body === n) return [p];
    if (ts.isVariableDeclaration(p) && p.initializer === n && ts.isIdentifier(p.name) && depth === 0) {
      const b = ev.scopes.declaredBy(p.name);
      return b ? ev.scopes.refsOf(b).flatMap((ref) => returnedBy(ref, ev, 1)) : [];
    }
    return [];
  }
}

function collectReturns(fn: FunctionLike): ts.Expression[] {
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    ts.forEachChild(n, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return out;
}

