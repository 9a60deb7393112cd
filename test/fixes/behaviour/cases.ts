/**
 * The servers of the behaviour proof (each a program in servers/, written for this test), how
 * each is spoken to, and what its fix must do:
 * - `newPath`: how the fixed server must send a file wherever the original read one (an
 *   Observation of support/protocol.ts): `sendFile:sendfile` (the runtime, sendfile(2)) on plain
 *   TCP, `createReadStream` (streamed) on TLS, `sendFile:stream` (the runtime, streaming) where
 *   TLS is not in the fix's view, `respondWithFile` (Node's own) or `sendFile:respondWithFD` (the
 *   runtime) on HTTP/2, `mapFile:mmap` for an inspected file;
 * - `declined`: the fix engine does not rewrite this code yet, for the reason matched (a
 *   limitation, not a danger): the test checks the reason; if a fix is offered, it is proven like
 *   any other;
 * - `noFix`: a rewrite would change what the server answers: the fix engine must decline, for the
 *   reason matched;
 * - `knownBug`: the fix engine offers a fix that answers differently today; the case runs as a
 *   `todo` test (reported, not failing the suite) and says precisely what differs;
 * - `alternative`: the fix proven is that kind's (an alternative beside the preferred one, which
 *   must be refused here for the reason given in `declined`), and `allow` the differences its
 *   rule page documents (support/allowedDifferences.ts).
 * Only servers whose fix ran and was proven count towards the fixed ones.
 */
import type { FixKind } from '../../../server/src/fixes/types';
import type { HttpRequest, SocketRequest } from './support/clients';
import type { Protocol } from './support/exercise';
import { conditionalHttpRequests, framedRequests, httpRequests, lineRequests } from './support/requests';

export type NewPath = 'sendFile:sendfile' | 'sendFile:respondWithFD' | 'sendFile:stream' | 'mapFile:mmap' | 'createReadStream' | 'respondWithFile';

export interface BehaviourCase {
  /** The program, relative to servers/ (the folder around it is copied with it). */
  server: string;
  protocol: Protocol;
  /** The requests, when not the protocol's usual set. */
  requests?: readonly HttpRequest[] | readonly SocketRequest[];
  expect: { newPath: NewPath; declined?: RegExp } | { noFix: RegExp };
  knownBug?: string;
  /**
   * The fix answers a file its user may not read (EACCES, the unprivileged run) differently from
   * the original, and how: that run is a `todo` until it is fixed. (None today: express's
   * res.sendFile now checks the file readable first; koa's streamed bodies and http2-pipe.js,
   * whose originals exit on that request, answer 500 or exit: allowedDifferences.ts, rule 5.)
   */
  eaccesBug?: string;
  alternative?: { kind: FixKind; allow: { etagValue?: boolean } };
  /**
   * Packages the original and the fixed server require under another name, installed as an alias
   * (`express: 'express4'`: `"express4": "npm:express@4"`): the same program proven on another
   * major version, whether the program requires or imports it (the preload redirects both).
   */
  aliases?: Record<string, string>;
}

// Reasons the fix engine gives today for code it does not rewrite (key phrases of its wording).
const HEAD_BUILT_BEFORE = /may build it first/;
const SUCCESS_ONLY_CODE = /runs only when the read succeeds/;
const SUCCESS_HEADERS = /would also be on the error response/;
const WRITES_CHUNKS = /`res\.write/;
const FASTIFY = /fastify|`reply\.send`/;

interface Options {
  prefix?: string;
  declined?: RegExp;
  knownBug?: string;
}

function http(server: string, newPath: NewPath, o: Options = {}): BehaviourCase {
  return {
    server,
    protocol: 'http',
    ...(o.prefix ? { requests: httpRequests(o.prefix) } : {}),
    expect: { newPath, ...(o.declined ? { declined: o.declined } : {}) },
    ...(o.knownBug ? { knownBug: o.knownBug } : {}),
  };
}
const sendfile = (server: string, o?: Options) => http(server, 'sendFile:sendfile', o);
const other = (server: string, protocol: Protocol, newPath: NewPath, o: Options & { requests?: BehaviourCase['requests'] } = {}): BehaviourCase => ({
  server,
  protocol,
  ...(o.requests ? { requests: o.requests } : {}),
  expect: { newPath, ...(o.declined ? { declined: o.declined } : {}) },
  ...(o.knownBug ? { knownBug: o.knownBug } : {}),
});

export const CASES: BehaviourCase[] = [
  // node:http: callback, promise and async styles; error branches, headers set first, HEAD, ranges
  sendfile('http-readfile-callback.js'),
  sendfile('http-readfile-esm-callback.mjs'),
  sendfile('http-readfile-async.mjs'),
  sendfile('http-class-handler.js'),
  sendfile('http-helper-function.js'),
  sendfile('http-content-length.js'),
  sendfile('http-spa-fallback.js'),
  sendfile('http-download-attachment.mjs'),
  sendfile('http-pdf-inline.js'),
  sendfile('http-stream-pipe.js'),
  sendfile('http-stream-status.js'),
  sendfile('http-stream-hwm.js'),
  sendfile('http-stream-esm.mjs'),
  http('http-etag.js', 'mapFile:mmap'),
  http('http-sniff.js', 'mapFile:mmap'),
  http('http-checksum-header.js', 'mapFile:mmap'),
  sendfile('http-readfile-promise.js'),
  sendfile('http-writehead-chain.js'),
  sendfile('http-readfilesync.js'),
  sendfile('http-readfile-sync-try.js'),
  sendfile('http-promisify.js'),
  sendfile('http-by-extension.mjs', { declined: SUCCESS_ONLY_CODE }),
  sendfile('http-stat-pipeline.js'),
  sendfile('http-stat-pipeline-promises.mjs'),
  sendfile('http-range.js'),
  sendfile('http-head.js'),
  sendfile('http-router-switch.js', { prefix: '/files/', declined: HEAD_BUILT_BEFORE }),
  sendfile('http-data-events.js', { declined: WRITES_CHUNKS }),
  sendfile('http-for-await.mjs', { declined: WRITES_CHUNKS }),
  // read loops: over a FileHandle (stat-bounded; the head built before the first read), and readSync
  sendfile('http-read-loop.js'),
  sendfile('http-read-loop-head-first.js'),
  sendfile('http-read-loop-sync.js'),
  // … and ranged: a 206 for `bytes=a-b` read to its last byte, the empty file's empty range
  sendfile('http-read-loop-range.js'),
  // … and over util.promisify(fs.read) on a descriptor
  sendfile('http-read-loop-promisify.js'),

  // TLS: streaming is the fix (the runtime streams too, where TLS is out of the fix's view)
  other('https-readfile.js', 'https', 'createReadStream'),
  other('https-readfile-then.js', 'https', 'createReadStream'),
  other('tls-socket-readfile.js', 'tls', 'createReadStream'),
  other('https-express.js', 'https', 'sendFile:stream'),
  other('https-async.mjs', 'https', 'createReadStream'),
  other('https-readfilesync.js', 'https', 'createReadStream'),

  // raw TCP
  other('net-readfile.js', 'net', 'sendFile:sendfile', { requests: lineRequests() }),
  other('net-stream-pipe.js', 'net', 'sendFile:sendfile', { requests: lineRequests() }),
  other('net-readfile-async.mjs', 'net', 'sendFile:sendfile', { requests: lineRequests() }),
  other('net-framed.js', 'net', 'sendFile:sendfile', { requests: framedRequests(), declined: /statements after its if\/else on `err`/ }),
  other('net-read-loop.js', 'net', 'sendFile:sendfile', { requests: lineRequests() }),
  other('net-read-loop-sync.js', 'net', 'sendFile:sendfile', { requests: lineRequests() }),
  other('net-read-loop-range.mjs', 'net', 'sendFile:sendfile', { requests: lineRequests() }),
  other('net-greeting-pipe.js', 'net', 'sendFile:sendfile', { requests: lineRequests(), declined: /the stream is also used at line/ }),

  // HTTP/2
  other('http2-stream-callback.js', 'h2', 'respondWithFile'),
  other('http2-compat-async.mjs', 'h2', 'sendFile:respondWithFD'),
  other('http2-pipe.js', 'h2c', 'respondWithFile'),
  other('http2-stream-readfile.js', 'h2', 'respondWithFile', { declined: /is nested inside `if/ }),
  other('http2-compat.js', 'h2', 'sendFile:respondWithFD'),
  other('http2-async.mjs', 'h2', 'respondWithFile'),
  other('http2-compat-read-loop.mjs', 'h2', 'sendFile:respondWithFD'),

  // express, koa, fastify
  sendfile('express-end.js', { prefix: '/raw/' }),
  sendfile('express-stream.js', { prefix: '/media/' }),
  sendfile('express-static-router.js', { prefix: '/assets/' }),
  sendfile('express-async-end.mjs', { prefix: '/exports/', declined: SUCCESS_HEADERS }),
  sendfile('express-download-end.js', { prefix: '/download/', declined: SUCCESS_HEADERS }),
  sendfile('koa-readfile.js'),
  sendfile('koa-readfile-esm.mjs'),
  sendfile('koa-stream.mjs'),
  sendfile('koa-static-mw.js', { prefix: '/static/' }),
  sendfile('koa-readfile-callback.js', { declined: /expression-bodied arrow function/ }),
  sendfile('koa-attachment.js', { declined: /the status is set on some paths only/ }),
  sendfile('fastify-stream.js', { prefix: '/download/', declined: FASTIFY }),
  // fastify's own reply.send(stream), offered beside the preferred sendFile (refused for fastify)
  {
    server: 'fastify-callback.js',
    protocol: 'http',
    requests: conditionalHttpRequests('/static/'),
    expect: { newPath: 'createReadStream', declined: FASTIFY },
    alternative: { kind: 'framework', allow: {} },
  },
  // … and in async handlers: the stream opened and awaited where the read was, returned or sent
  ...[
    ['fastify-readfile.js', '/'],
    ['fastify-async-send.js', '/files/'],
  ].map(
    ([server, prefix]): BehaviourCase => ({
      server: server!,
      protocol: 'http',
      requests: httpRequests(prefix),
      expect: { newPath: 'createReadStream', declined: FASTIFY },
      alternative: { kind: 'framework', allow: {} },
    }),
  ),

  // express's own res.sendFile, offered beside the preferred sendFile (refused: res.send's ETag)
  ...['express-sendfile-callback.js', 'express-sendfile-async.js', 'express-sendfile-type.mjs'].map(
    (server): BehaviourCase => ({
      server,
      protocol: 'http',
      requests: conditionalHttpRequests(server === 'express-sendfile-async.js' ? '/files/' : '/'),
      expect: { newPath: 'createReadStream', declined: /ETag computed from the bytes/ },
      alternative: { kind: 'framework', allow: { etagValue: true } },
    }),
  ),

  // express 4 (send 0.x): the same programs, their fixes proven on express 4 as on express 5
  ...['express-end.js', 'express-stream.js', 'express-static-router.js'].map((server, i): BehaviourCase => ({
    ...sendfile(server, { prefix: ['/raw/', '/media/', '/assets/'][i] }),
    aliases: { express: 'express4' },
  })),
  ...['express-sendfile-callback.js', 'express-sendfile-async.js'].map(
    (server): BehaviourCase => ({
      server,
      protocol: 'http',
      requests: conditionalHttpRequests(server === 'express-sendfile-async.js' ? '/files/' : '/'),
      expect: { newPath: 'createReadStream', declined: /ETag computed from the bytes/ },
      alternative: { kind: 'framework', allow: { etagValue: true } },
      aliases: { express: 'express4' },
    }),
  ),
  { ...other('https-express.js', 'https', 'sendFile:stream'), aliases: { express: 'express4' } },

  // read loops: the stream alternative beside sendFile (the handle's read stream, piped)
  { ...other('http-read-loop.js', 'http', 'createReadStream'), alternative: { kind: 'stream', allow: {} } },
  { ...other('http-read-loop-head-first.js', 'http', 'createReadStream'), alternative: { kind: 'stream', allow: {} } },
  { ...other('net-read-loop.js', 'net', 'createReadStream', { requests: lineRequests() }), alternative: { kind: 'stream', allow: {} } },
  // … and under ESM `import` (a resolve hook maps the name)
  {
    server: 'express-sendfile-type.mjs',
    protocol: 'http',
    requests: conditionalHttpRequests('/'),
    expect: { newPath: 'createReadStream', declined: /ETag computed from the bytes/ },
    alternative: { kind: 'framework', allow: { etagValue: true } },
    aliases: { express: 'express4' },
  },

  // a rewrite would answer differently: no fix, and why
  { server: 'express-readfile-send.js', protocol: 'http', expect: { noFix: /ETag computed from the bytes/ } },
  { server: 'express-async.js', protocol: 'http', requests: httpRequests('/files/'), expect: { noFix: /ETag computed from the bytes/ } },
  { server: 'nofix-buffer-after-send.js', protocol: 'http', expect: { noFix: /runs after the send/ } },
  { server: 'nofix-partial-read.js', protocol: 'http', expect: { noFix: WRITES_CHUNKS } },
  { server: 'nofix-other-file/server.js', protocol: 'http', expect: { noFix: /sent in another file/ } },
];

/** The requests a case sends. */
export function requestsOf(c: BehaviourCase): readonly HttpRequest[] | readonly SocketRequest[] {
  if (c.requests) return c.requests;
  if (c.protocol === 'net' || c.protocol === 'tls') return lineRequests();
  return httpRequests();
}
