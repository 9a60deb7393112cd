/**
 * Loaded with `--require` into every server the behaviour test runs (original and fixed), so the
 * test can see inside the child without changing the program. It only watches and forwards:
 * - the port each server listens on (every Node server, express's, koa's and fastify's included,
 *   is a `net.Server`), sent to the test over the IPC channel;
 * - how each request's file went out (protocol.ts, Observation): the `zerocopy` runtime's calls
 *   from its `diagnostics_channel`s; fs's whole-file reads, read streams and chunk reads (a read
 *   loop: a FileHandle's `read`, `readSync` or `fs.read` on a descriptor), and Node's HTTP/2
 *   respondWithFile/respondWithFD, through wrappers that call the originals (ES modules see the
 *   wrappers too: `syncBuiltinESMExports`).
 *
 * Each observation carries the number of the request it served (in the order requests, HTTP/2
 * streams or connections arrived), kept across async steps by an AsyncLocalStorage entered when
 * the request arrives. The runtime publishes a call when it settles, which for an HTTP response
 * is after 'finish' — possibly after the client already has every byte — and a read stream may
 * close after the response it fed. So the answer to the test waits until every request, stream
 * or connection under way has closed and every read stream that flows has closed, and then one
 * turn of the event loop.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import * as diagnosticsChannel from 'node:diagnostics_channel';
// The module object itself (not a namespace copy), so that the wrappers replace its functions.
import fs = require('node:fs');
import * as http from 'node:http';
import * as https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import * as net from 'node:net';
import { CHANNELS, type ChildMessage, type Observation, type TestMessage } from './protocol';

const send = (message: ChildMessage) => process.send?.(message);

// --- module aliases: `ZC_MODULE_ALIASES=express=express4` runs the program, unchanged, on another
// version of a package installed under an alias: `require` through the CommonJS resolver, `import`
// through a module resolve hook (module.register). What was loaded is reported: each alias whose
// package is in the module cache, and any aliased name loaded as itself after all.
const aliases = new Map((process.env.ZC_MODULE_ALIASES ?? '').split(',').filter(Boolean).map((pair) => pair.split('=') as [string, string]));
const aliased = new Set<string>();
if (aliases.size) {
  const Module = require('node:module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
    const alias = aliases.get(request);
    if (alias === undefined) return resolve.call(this, request, ...rest);
    const file = resolve.call(this, alias, ...rest);
    const version = (require(resolve.call(this, `${alias}/package.json`, ...rest)) as { version: string }).version;
    aliased.add(`${request}=${alias}@${version}`);
    return file;
  };
  // `import express from 'express'` resolves in the loader's own thread: the hook maps the name there.
  const { register } = require('node:module') as { register?: (url: string) => void };
  const map = JSON.stringify(Object.fromEntries(aliases));
  register?.(`data:text/javascript,${encodeURIComponent(`const map = ${map}; export async function resolve(specifier, context, next) { return next(Object.hasOwn(map, specifier) ? map[specifier] : specifier, context); }`)}`);
}
/** The aliases whose package was loaded (a CommonJS package imported from ESM is in the require cache too), and names loaded unaliased. */
function loadedAliases(): string[] {
  const files = Object.keys(require.cache);
  for (const [from, to] of aliases) {
    const loaded = files.find((f) => f.includes(`/node_modules/${to}/`));
    if (loaded) {
      const version = (JSON.parse(fs.readFileSync(loaded.slice(0, loaded.indexOf(`/node_modules/${to}/`)) + `/node_modules/${to}/package.json`, 'utf8')) as { version: string }).version;
      aliased.add(`${from}=${to}@${version}`);
    }
    if (files.some((f) => f.includes(`/node_modules/${from}/`))) aliased.add(`${from} loaded unaliased`);
  }
  return [...aliased];
}
const observations: Observation[] = [];
/** Which request (1, 2, … in the order they arrived) the code running now serves. */
const requestOf = new AsyncLocalStorage<number>();
let requests = 0;
const observe = (what: string, ok: boolean, bytes: number) => observations.push({ what, ok, bytes, request: requestOf.getStore() ?? 0 });

// --- what is under way: requests, HTTP/2 streams, connections, and read streams that flow
let underWay = 0;
const readStreams = new Set<fs.ReadStream>();
let whenIdle: Array<() => void> = [];
/** A read stream nobody reads (never piped, or unpiped and paused: a leak) is not waited for. */
const idle = () => underWay === 0 && [...readStreams].every((s) => s.readableFlowing !== true && !s.readableEnded);
function checkIdle(): void {
  if (!idle()) return;
  const waiting = whenIdle;
  whenIdle = [];
  for (const resume of waiting) resume();
}

function track(closable: { once(event: 'close', listener: () => void): unknown }): void {
  underWay++;
  closable.once('close', () => {
    underWay--;
    checkIdle();
  });
}

/** A new request (or HTTP/2 stream, or connection) arrived: what runs for it is tagged with its number. */
function arrived(closable: { once(event: 'close', listener: () => void): unknown }): void {
  requestOf.enterWith(++requests);
  track(closable);
}

// --- servers: their port, and what is under way
let http2Patched = false;
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
  const isHttp2 = /^Http2(Secure)?Server$/.test(this.constructor.name);
  if (isHttp2) {
    this.prependListener('stream', (stream: object) => {
      if (!http2Patched) patchHttp2Stream(Object.getPrototypeOf(stream) as Record<string, unknown>);
      arrived(stream as net.Socket);
    });
  } else if (this instanceof http.Server || this instanceof https.Server) this.prependListener('request', (_req: unknown, res: http.ServerResponse) => arrived(res));
  else {
    this.prependListener('addContext' in this ? 'secureConnection' : 'connection', (socket: net.Socket) => {
      arrived(socket);
      // A socket's events run in the context of its handle, made before it arrived: its reads
      // are tagged as its request by a listener that runs before the program's own.
      const request = requests;
      socket.prependListener('data', () => requestOf.enterWith(request));
    });
  }
  this.once('listening', () => {
    const address = this.address();
    if (address && typeof address === 'object') send({ type: 'listening', port: address.port, aliased: loadedAliases() });
  });
  return listen.apply(this, args as Parameters<typeof listen>);
} as typeof listen;

function patchHttp2Stream(proto: Record<string, unknown>): void {
  http2Patched = true;
  for (const name of ['respondWithFile', 'respondWithFD'] as const) {
    const original = proto[name] as (...args: unknown[]) => unknown;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      observe(name, true, -1);
      return original.apply(this, args);
    };
  }
}

// --- the runtime
diagnosticsChannel.subscribe(CHANNELS.sendFile, (message) => {
  const m = message as { method?: string; bytes: number; failed: boolean };
  observe(`sendFile:${m.method}`, !m.failed, m.bytes);
});
diagnosticsChannel.subscribe(CHANNELS.mapFile, (message) => {
  const m = message as { method?: string; bytes: number; failed: boolean };
  observe(`mapFile:${m.method}`, !m.failed, m.bytes);
});

// --- fs: whole-file reads and read streams of the files served (under ROOT; module loading and
// configuration reads elsewhere are not what the test is about)
type Fn = (...args: any[]) => any;
const served = (file: unknown) => {
  const name = typeof file === 'string' ? file : Buffer.isBuffer(file) ? file.toString() : file instanceof URL ? file.pathname : undefined;
  return name === undefined || (process.env.ROOT !== undefined && name.startsWith(process.env.ROOT));
};
const readFile = fs.readFile as Fn;
(fs as { readFile: Fn }).readFile = function (this: unknown, ...args: any[]) {
  const callback = args.pop() as Fn;
  if (!served(args[0])) return readFile.call(this, ...args, callback);
  return readFile.call(this, ...args, (error: unknown, data: Buffer | string | undefined) => {
    observe('readFile', !error, data?.length ?? 0);
    callback(error, data);
  });
};
const readFileSync = fs.readFileSync as Fn;
(fs as { readFileSync: Fn }).readFileSync = function (this: unknown, ...args: any[]) {
  if (!served(args[0])) return readFileSync.apply(this, args);
  try {
    const data = readFileSync.apply(this, args) as Buffer | string;
    observe('readFile', true, data.length);
    return data;
  } catch (error) {
    observe('readFile', false, 0);
    throw error;
  }
};
const promisesReadFile = fs.promises.readFile as Fn;
(fs.promises as { readFile: Fn }).readFile = function (this: unknown, ...args: any[]) {
  if (!served(args[0])) return promisesReadFile.apply(this, args);
  return (promisesReadFile.apply(this, args) as Promise<Buffer | string>).then(
    (data) => (observe('readFile', true, data.length), data),
    (error: unknown) => {
      observe('readFile', false, 0);
      throw error;
    },
  );
};
const createReadStream = fs.createReadStream as Fn;
(fs as { createReadStream: Fn }).createReadStream = function (this: unknown, ...args: any[]) {
  const stream = createReadStream.apply(this, args) as fs.ReadStream;
  return served(args[0]) ? watchReadStream(stream) : stream;
};
/**
 * A read stream of a served file, observed when it closes. Only 'close' is listened to: a 'data'
 * listener would start the stream flowing. A stream may close after the response it fed: it counts
 * as under way until then.
 */
function watchReadStream(stream: fs.ReadStream, onClose?: () => void): fs.ReadStream {
  stream.once('close', () => {
    onClose?.();
    observe('createReadStream', stream.readableEnded && !stream.errored, stream.bytesRead);
    readStreams.delete(stream);
    checkIdle();
  });
  readStreams.add(stream);
  stream.on('pause', checkIdle);
  return stream;
}
// A FileHandle opened on a served file and read a chunk at a time (a read loop): the bytes its
// `read` calls returned, observed when it is closed, if any were read.
const promisesOpen = fs.promises.open as Fn;
(fs.promises as { open: Fn }).open = async function (this: unknown, ...args: any[]) {
  const handle = (await promisesOpen.apply(this, args)) as fs.promises.FileHandle;
  if (!served(args[0])) return handle;
  let reads = 0;
  let bytes = 0;
  let failed = false;
  // The handle's own read streams read through `read` too: those reads are the stream's, observed as one.
  let streaming = 0;
  const read = handle.read as Fn;
  const close = handle.close as Fn;
  const createStream = handle.createReadStream as Fn;
  Object.assign(handle, {
    createReadStream(this: unknown, ...streamArgs: any[]) {
      const stream = createStream.apply(this, streamArgs) as fs.ReadStream;
      streaming++;
      return watchReadStream(stream, () => streaming--);
    },
    read(this: unknown, ...readArgs: any[]) {
      if (streaming > 0) return read.apply(this, readArgs);
      reads++;
      return (read.apply(this, readArgs) as Promise<{ bytesRead: number }>).then(
        (result) => ((bytes += result.bytesRead), result),
        (error: unknown) => {
          failed = true;
          throw error;
        },
      );
    },
    close(this: unknown, ...closeArgs: any[]) {
      if (reads > 0) observe('readChunks', !failed, bytes);
      return close.apply(this, closeArgs);
    },
  });
  return handle;
};
// A descriptor opened on a served file and read a chunk at a time with readSync (a synchronous
// read loop): the bytes its reads returned, observed when it is closed, if any were read.
const chunkReads = new Map<number, { bytes: number }>();
const openSync = fs.openSync as Fn;
(fs as { openSync: Fn }).openSync = function (this: unknown, ...args: any[]) {
  const fd = openSync.apply(this, args) as number;
  if (served(args[0])) chunkReads.set(fd, { bytes: -1 });
  return fd;
};
const readSync = fs.readSync as Fn;
(fs as { readSync: Fn }).readSync = function (this: unknown, ...args: any[]) {
  const n = readSync.apply(this, args) as number;
  const reads = chunkReads.get(args[0] as number);
  if (reads) reads.bytes = Math.max(reads.bytes, 0) + n;
  return n;
};
const closeSync = fs.closeSync as Fn;
(fs as { closeSync: Fn }).closeSync = function (this: unknown, ...args: any[]) {
  const reads = chunkReads.get(args[0] as number);
  chunkReads.delete(args[0] as number);
  if (reads && reads.bytes >= 0) observe('readChunks', true, reads.bytes);
  return closeSync.apply(this, args);
};
// A descriptor the program itself opened with the callback `fs.open` (also through
// `util.promisify`) on a served file and read with `fs.read`: the bytes its reads returned,
// observed when it is closed. Only the program's own opens count: read streams and the zerocopy
// runtime open and read descriptors through these functions too, and they are watched elsewhere.
const program = process.argv[1] ?? '';
/** Whether the code that called into fs now is the program's own (its first frame outside Node and this preload). */
function calledByProgram(): boolean {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  const first = frames.find((f) => !/\(node:|at node:|\(<anonymous>\)/.test(f) && !f.includes(__filename));
  return !!first && first.includes(program);
}
/** The wrapper keeps what the original carries (fs.read's own promisify arguments: { bytesRead, buffer }). */
function keepSymbols(wrapper: Fn, original: Fn): Fn {
  for (const key of Object.getOwnPropertySymbols(original)) Object.defineProperty(wrapper, key, Object.getOwnPropertyDescriptor(original, key)!);
  return wrapper;
}
const callbackReads = new Map<number, { reads: number; bytes: number }>();
const fsOpen = fs.open as Fn;
(fs as { open: Fn }).open = keepSymbols(function (this: unknown, ...args: any[]) {
  const callback = args[args.length - 1];
  if (typeof callback !== 'function' || !served(args[0]) || !calledByProgram()) return fsOpen.apply(this, args);
  return fsOpen.apply(this, [
    ...args.slice(0, -1),
    (error: unknown, fd: number) => {
      if (!error) callbackReads.set(fd, { reads: 0, bytes: 0 });
      callback(error, fd);
    },
  ]);
}, fsOpen);
const fsRead = fs.read as Fn;
(fs as { read: Fn }).read = keepSymbols(function (this: unknown, ...args: any[]) {
  const reads = callbackReads.get(args[0] as number);
  const callback = args[args.length - 1];
  if (!reads || typeof callback !== 'function') return fsRead.apply(this, args);
  return fsRead.apply(this, [
    ...args.slice(0, -1),
    (error: unknown, n: number, buffer: unknown) => {
      reads.reads++;
      if (!error) reads.bytes += n;
      callback(error, n, buffer);
    },
  ]);
}, fsRead);
const fsClose = fs.close as Fn;
(fs as { close: Fn }).close = keepSymbols(function (this: unknown, ...args: any[]) {
  const reads = callbackReads.get(args[0] as number);
  callbackReads.delete(args[0] as number);
  if (reads && reads.reads > 0) observe('readChunks', true, reads.bytes);
  return fsClose.apply(this, args);
}, fsClose);
syncBuiltinESMExports();

process.on('message', (message: TestMessage) => {
  if (message.type !== 'reports') return;
  const answer = () => setImmediate(() => send({ type: 'reports', id: message.id, observations: observations.splice(0) }));
  if (idle()) answer();
  else whenIdle.push(answer);
});
// The IPC channel must not keep a server alive once the test is gone.
process.channel?.unref();
