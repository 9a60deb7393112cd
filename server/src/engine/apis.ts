/**
 * What the engine knows about Node's APIs and the common frameworks, as data.
 * RULES.md is the spec; each table says which part of it it encodes.
 */
import type { FsFlavor, ServerProto, SinkClass } from './values';
import type { Transport } from './types';

/** Module specifiers that are Node's fs (or a drop-in wrapper of it), and what they export. */
export function moduleKind(spec: string): string | undefined {
  const s = spec.startsWith('node:') ? spec.slice(5) : spec;
  switch (s) {
    case 'fs':
    case 'graceful-fs':
    case 'fs-extra':
    case 'original-fs':
      return 'fs';
    case 'fs/promises':
      return 'fs/promises';
    // Callback-style fs whose functions return a promise when given no callback.
    case 'fs-extra/esm':
    case 'mz/fs':
      return 'fs';
    // A drop-in Promise whose `try`, `resolve`, `all` are the standard ones.
    case 'bluebird':
      return 'Promise';
    case 'http':
    case 'https':
    case 'http2':
    case 'net':
    case 'tls':
    case 'util':
    case 'stream':
    case 'stream/promises':
    case 'zlib':
    case 'crypto':
    case 'path':
    case 'events':
    // A multipart body that streams the parts appended to it.
    case 'form-data':
      return s;
    default:
      return undefined;
  }
}

/** Packages whose export is itself one of Node's functions: `pump(a, b, cb)` is `stream.pipeline`. */
const MODULE_FUNCTIONS: Record<string, { mod: string; name: string }> = {
  pump: { mod: 'stream', name: 'pipeline' },
};
export function moduleFunction(spec: string): { mod: string; name: string } | undefined {
  return Object.prototype.hasOwnProperty.call(MODULE_FUNCTIONS, spec) ? MODULE_FUNCTIONS[spec] : undefined;
}

export interface FsApi {
  kind: 'whole' | 'stream' | 'chunk' | 'open' | 'write-file' | 'write-fd' | 'write-stream' | 'promises' | 'sync-whole' | 'sync-chunk';
  /** For writes: which argument carries the bytes. */
  payloadArg?: number;
}

/** Functions of the callback-style `fs` module (also graceful-fs and fs-extra). */
const FS_CB: Record<string, FsApi> = {
  readFile: { kind: 'whole' },
  readFileSync: { kind: 'sync-whole' },
  createReadStream: { kind: 'stream' },
  ReadStream: { kind: 'stream' },
  read: { kind: 'chunk' },
  readSync: { kind: 'sync-chunk' },
  open: { kind: 'open' },
  writeFile: { kind: 'write-file', payloadArg: 1 },
  writeFileSync: { kind: 'write-file', payloadArg: 1 },
  outputFile: { kind: 'write-file', payloadArg: 1 },
  outputFileSync: { kind: 'write-file', payloadArg: 1 },
  write: { kind: 'write-fd', payloadArg: 1 },
  writeSync: { kind: 'write-fd', payloadArg: 1 },
  createWriteStream: { kind: 'write-stream' },
  WriteStream: { kind: 'write-stream' },
  promises: { kind: 'promises' },
};

/** Functions of `fs/promises`. */
const FS_PROMISE: Record<string, FsApi> = {
  readFile: { kind: 'whole' },
  // Not in fs/promises itself, but what util.promisify(fs.read) becomes.
  read: { kind: 'chunk' },
  open: { kind: 'open' },
  writeFile: { kind: 'write-file', payloadArg: 1 },
};

/** Methods of a `FileHandle`. */
const FS_HANDLE: Record<string, FsApi> = {
  readFile: { kind: 'whole' },
  createReadStream: { kind: 'stream' },
  read: { kind: 'chunk' },
  writeFile: { kind: 'write-file', payloadArg: 0 },
  write: { kind: 'write-fd', payloadArg: 0 },
  createWriteStream: { kind: 'write-stream' },
};

export function fsApi(flavor: FsFlavor, name: string): FsApi | undefined {
  const table = flavor === 'cb' ? FS_CB : flavor === 'promise' ? FS_PROMISE : FS_HANDLE;
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

/** Every fs function or FileHandle method that writes bytes to a file. */
export function fsWriteNames(): string[] {
  return [FS_CB, FS_PROMISE, FS_HANDLE].flatMap((t) => Object.keys(t).filter((k) => t[k]!.kind === 'write-file' || t[k]!.kind === 'write-fd'));
}

/** Module functions that create servers, sockets and requests. */
export const SERVER_FACTORIES: Record<string, Record<string, ServerProto>> = {
  http: { createServer: 'http' },
  https: { createServer: 'https' },
  http2: { createServer: 'http2', createSecureServer: 'http2' },
  net: { createServer: 'net' },
  tls: { createServer: 'tls' },
};

export const SOCKET_FACTORIES: Record<string, Record<string, { cls: SinkClass; transport: Transport }>> = {
  net: { connect: { cls: 'socket', transport: 'tcp' }, createConnection: { cls: 'socket', transport: 'tcp' }, Socket: { cls: 'socket', transport: 'tcp' } },
  tls: { connect: { cls: 'socket', transport: 'tls' }, TLSSocket: { cls: 'socket', transport: 'tls' } },
  http: { request: { cls: 'http-request', transport: 'tcp' } },
  https: { request: { cls: 'http-request', transport: 'tls' } },
};

export function serverTransport(proto: ServerProto): Transport {
  return proto === 'https' || proto === 'tls' ? 'tls' : proto === 'http2' ? 'http2' : proto === 'unknown' ? 'unknown' : 'tcp';
}

/**
 * Node's classes whose instances are byte-stream sinks (`module.Class`): `this` in a subclass's
 * methods, an object made with `Object.create(Class.prototype)` (how express builds `res`), a
 * parameter typed with the class.
 */
export const SINK_CLASSES: Record<string, { cls: SinkClass; transport: Transport }> = {
  'http.ServerResponse': { cls: 'http-response', transport: 'unknown' },
  'http.OutgoingMessage': { cls: 'http-response', transport: 'unknown' },
  'http.ClientRequest': { cls: 'http-request', transport: 'unknown' },
  'https.ServerResponse': { cls: 'http-response', transport: 'tls' },
  'net.Socket': { cls: 'socket', transport: 'unknown' },
  'tls.TLSSocket': { cls: 'socket', transport: 'tls' },
  'http2.Http2ServerResponse': { cls: 'http-response', transport: 'http2' },
  'http2.ServerHttp2Stream': { cls: 'http2-stream', transport: 'http2' },
  'http2.Http2Stream': { cls: 'http2-stream', transport: 'http2' },
};

export function sinkClass(mod: string, name: string): { cls: SinkClass; transport: Transport } | undefined {
  const key = `${mod}.${name}`;
  return Object.prototype.hasOwnProperty.call(SINK_CLASSES, key) ? SINK_CLASSES[key] : undefined;
}

/** Parameter names that, in a handler whose caller is not visible, mean a byte-stream sink. */
export const SINK_PARAM_NAMES: Record<string, SinkClass> = {
  res: 'http-response',
  response: 'http-response',
  resp: 'http-response',
  rsp: 'http-response',
  socket: 'socket',
  sock: 'socket',
  conn: 'socket',
  connection: 'socket',
  ctx: 'koa-ctx',
  context: 'koa-ctx',
  reply: 'fastify-reply',
  h: 'hapi-toolkit',
};

/** Methods of a sink that take bytes as their first argument. */
export const SEND_METHODS: Record<SinkClass, readonly string[]> = {
  'http-response': ['end', 'write', 'send', 'tryEnd'],
  socket: ['end', 'write'],
  'http-request': ['end', 'write'],
  'http2-stream': ['end', 'write'],
  'koa-ctx': [],
  'fastify-reply': ['send'],
  'hapi-toolkit': ['response'],
  'hono-ctx': ['body', 'newResponse', 'html', 'text'],
  'framework-body': [],
  file: ['end', 'write'],
};

/** Sinks that are streams (can be a `.pipe()` / `pipeline()` destination). */
export const PIPE_TARGETS: ReadonlySet<SinkClass> = new Set(['http-response', 'socket', 'http-request', 'http2-stream', 'file']);

/** Calls through which bytes pass unchanged (decoding, slicing, wrapping, concatenation). */
export const UNCHANGED_METHODS = new Set(['toString', 'slice', 'subarray']);
export const UNCHANGED_ENCODINGS = new Set(['utf8', 'utf-8', 'binary', 'latin1']);

/** Properties of the bytes that are metadata, not payload (reading them is not inspecting the bytes). */
export const METADATA_PROPS = new Set(['length', 'byteLength', 'byteOffset']);

/**
 * Views of the same memory under another type: `b.buffer` (the ArrayBuffer behind a Buffer),
 * `new Uint8Array(b)`, `Uint8Array.from(b)`. Sent, they are the same bytes.
 */
export const SAME_BYTES_PROPS = new Set(['buffer']);
export const BYTE_VIEW_TYPES = new Set(['Uint8Array', 'Int8Array', 'Uint8ClampedArray', 'ArrayBuffer']);
