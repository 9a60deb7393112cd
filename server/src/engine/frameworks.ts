/**
 * What fetch-style frameworks and the web platform's response and stream globals send, as data:
 * one entry per package, read by the evaluator and the flow analysis. RULES.md's sinks, and
 * docs/rules' "framework bodies", are these. Nothing here is matched by a variable's name: a value
 * is a framework's because it comes from that package (an import, a `require`, an auto-imported
 * global, a parameter typed with the package's type).
 */
import type { SinkClass } from './values';

export interface FrameworkModel {
  /** Module specifiers that are this package. */
  modules: readonly string[];
  /** Globals the runtime or framework provides without an import (the web platform's; Nitro's auto-imports). */
  globals?: readonly string[];
  /** Classes or factories of an application whose route methods take handlers: `new Hono()`; `default` is the module itself (`new Koa()`, `koa()`). */
  apps?: readonly string[];
  /** The route methods of such an app (`app.get(path, handler)`), and the sink a handler's first parameter is. */
  routeMethods?: readonly string[];
  context?: SinkClass;
  /** A handler that is a generator function gets the context as `this`, not as a parameter (Koa v1: `function* (next) { this.body = … }`). */
  generatorThis?: boolean;
  /** Functions sending one of their arguments as a response body: `sendStream(event, stream)` -> 1. */
  senders?: Readonly<Record<string, number>>;
  /**
   * Functions calling back (argument index) with a writer onto the response, whose methods send
   * their argument: `stream(c, async (s) => { await s.pipe(body) })` -> 1, with `writerMethods`.
   */
  writers?: Readonly<Record<string, number>>;
  writerMethods?: readonly string[];
  /** Functions taking a handler (argument index) whose return value is sent: `defineEventHandler(h)` -> 0. */
  handlers?: Readonly<Record<string, number>>;
  /** Classes whose instance carries a body (argument index) that is sent when the instance is returned by a handler. */
  responses?: Readonly<Record<string, number>>;
  /** Functions returning their argument's bytes in another wrapper: `createReadableStreamFromReadable(s)` -> 0. */
  sameBytes?: Readonly<Record<string, number>>;
  /** Types of the package that, on a parameter, say what it is: `(c: Context)` is Hono's context. */
  types?: Readonly<Record<string, SinkClass>>;
}

export const FRAMEWORKS: readonly FrameworkModel[] = [
  {
    // The web platform on Node (and Deno/Bun): a `Response` returned by a route handler is sent;
    // a `ReadableStream` carries what its source enqueues. (Request bodies of HTTP clients: clients.ts.)
    modules: ['stream/web', 'node:stream/web'],
    globals: ['Response', 'ReadableStream'],
    responses: { Response: 0 },
  },
  {
    modules: ['hono', 'hono/tiny', 'hono/quick', '@hono/zod-openapi'],
    apps: ['Hono', 'OpenAPIHono'],
    routeMethods: ['get', 'post', 'put', 'delete', 'patch', 'all', 'on', 'use', 'options', 'head'],
    context: 'hono-ctx',
    types: { Context: 'hono-ctx' },
  },
  // Hono's streaming helpers: the callback's StreamingApi writes to the response (`pipe` takes a ReadableStream).
  { modules: ['hono/streaming'], writers: { stream: 1, streamText: 1 }, writerMethods: ['pipe', 'write'] },
  {
    // h3 (Nuxt, Nitro): auto-imported in a Nitro server's files.
    modules: ['h3'],
    globals: ['defineEventHandler', 'eventHandler', 'sendStream', 'sendWebResponse'],
    senders: { sendStream: 1, send: 1, sendWebResponse: 1 },
    handlers: { defineEventHandler: 0, eventHandler: 0, defineHandler: 0 },
    responses: {},
  },
  { modules: ['next/server'], responses: { NextResponse: 0 } },
  { modules: ['srvx'], responses: { FastResponse: 0, NodeResponse: 0 } },
  { modules: ['@nestjs/common'], responses: { StreamableFile: 0 } },
  // Remix and React Router re-export the web platform's Response (a polyfill on older Node), returned by loaders.
  { modules: ['@remix-run/node', '@react-router/node'], sameBytes: { createReadableStreamFromReadable: 0 }, responses: { Response: 0 } },
  // Frameworks handled elsewhere (apis.ts, flows.ts) whose types, on a parameter, say what it is.
  { modules: ['express'], types: { Response: 'http-response' } },
  {
    // Koa and its routers: `app.use(h)`, `router.get(path, …h)`. A handler's first parameter is the
    // context (v2), or, when the handler is a generator function, `this` is (v1).
    modules: ['koa', 'koa-router', '@koa/router'],
    apps: ['default', 'Router'],
    routeMethods: ['use', 'get', 'post', 'put', 'del', 'delete', 'patch', 'all', 'head', 'options'],
    context: 'koa-ctx',
    generatorThis: true,
    types: { Context: 'koa-ctx', ParameterizedContext: 'koa-ctx', ExtendableContext: 'koa-ctx' },
  },
  { modules: ['fastify'], types: { FastifyReply: 'fastify-reply' } },
  { modules: ['@hapi/hapi'], types: { ResponseToolkit: 'hapi-toolkit' } },
  { modules: ['next'], types: { NextApiResponse: 'http-response' } },
];

const byModule = new Map<string, FrameworkModel>();
const byGlobal = new Map<string, { model: FrameworkModel; module: string }>();
for (const m of FRAMEWORKS) {
  for (const spec of m.modules) byModule.set(spec, m);
  for (const g of m.globals ?? []) byGlobal.set(g, { model: m, module: m.modules[0] ?? 'global' });
}
export function frameworkModule(spec: string): FrameworkModel | undefined {
  return byModule.get(spec);
}

/** A global a framework provides (an unresolved identifier): the module it stands for. */
export function frameworkGlobal(name: string): string | undefined {
  return byGlobal.get(name)?.module;
}

function lookup<T>(mod: string, name: string, pick: (m: FrameworkModel) => Readonly<Record<string, T>> | undefined): T | undefined {
  const table = byModule.has(mod) ? pick(byModule.get(mod)!) : undefined;
  return table && Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

export const senderArg = (mod: string, name: string) => lookup(mod, name, (m) => m.senders);
export const writerArg = (mod: string, name: string) => lookup(mod, name, (m) => m.writers);
export const writerMethods = (mod: string): readonly string[] => byModule.get(mod)?.writerMethods ?? [];
export const handlerArg = (mod: string, name: string) => lookup(mod, name, (m) => m.handlers);
export const responseBodyArg = (mod: string, name: string) => lookup(mod, name, (m) => m.responses);
export const sameBytesArg = (mod: string, name: string) => lookup(mod, name, (m) => m.sameBytes);
export const frameworkType = (mod: string, name: string) => lookup(mod, name, (m) => m.types);

/** Whether a framework's function or class only carries the bytes it is given (a sender, a response, a wrapper). */
export function passesBytesOn(mod: string, name: string): boolean {
  if (senderArg(mod, name) !== undefined || responseBodyArg(mod, name) !== undefined || sameBytesArg(mod, name) !== undefined) return true;
  return byModule.has(mod) && name === 'ReadableStream';
}

/** Whether `name` of module `mod` makes an application whose routes take handlers, and the sink its handlers' context is. */
export function appOf(mod: string, name: string): SinkClass | undefined {
  const m = byModule.get(mod);
  return m?.apps?.includes(name) ? m.context : undefined;
}

export function routeMethods(context: SinkClass): readonly string[] {
  return FRAMEWORKS.find((m) => m.context === context)?.routeMethods ?? [];
}

/** Whether a generator function handed to a route method of this context's application gets the context as `this`. */
export function generatorThis(context: SinkClass): boolean {
  return !!FRAMEWORKS.find((m) => m.context === context)?.generatorThis;
}

/** Every class name a framework's response may be built with (a text prefilter before evaluating). */
export const RESPONSE_NAMES: ReadonlySet<string> = new Set(FRAMEWORKS.flatMap((m) => Object.keys(m.responses ?? {})));
