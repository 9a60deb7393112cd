/**
 * The servers of the behaviour proof (each a program in servers/, written for this test), how
 * each is spoken to, and what its fix must do:
 * - `transfers`: the method the `zerocopy` runtime must report for every answer with a body once
 *   the server is fixed (`sendfile` on plain TCP, `stream` on TLS, `respondWithFD` on HTTP/2);
 * - `noFix`: the fix engine must offer no fix, for the reason matched (these do not count
 *   towards the fixed servers).
 */
import type { HttpRequest, SocketRequest } from './support/clients';
import type { Protocol } from './support/exercise';
import { framedRequests, httpRequests, lineRequests } from './support/requests';

export interface BehaviourCase {
  /** The program, relative to servers/ (the folder around it is copied with it). */
  server: string;
  protocol: Protocol;
  /** The requests, when not the protocol's usual set. */
  requests?: readonly HttpRequest[] | readonly SocketRequest[];
  expect: { transfers: 'sendfile' | 'stream' | 'respondWithFD' } | { noFix: RegExp };
}

const http = (server: string, prefix?: string): BehaviourCase => ({
  server,
  protocol: 'http',
  ...(prefix ? { requests: httpRequests(prefix) } : {}),
  expect: { transfers: 'sendfile' },
});
const tlsCase = (server: string, protocol: 'https' | 'tls'): BehaviourCase => ({ server, protocol, expect: { transfers: 'stream' } });
const h2 = (server: string, protocol: 'h2' | 'h2c' = 'h2'): BehaviourCase => ({ server, protocol, expect: { transfers: 'respondWithFD' } });

export const CASES: BehaviourCase[] = [
  // node:http, callback, promise and async styles
  http('http-readfile-callback.js'),
  http('http-readfile-promise.js'),
  http('http-readfile-async.mjs'),
  http('http-readfilesync.js'),
  http('http-stream-pipe.js'),
  http('http-stat-pipeline.js'),
  http('http-stat-pipeline-promises.mjs'),
  http('http-range.js'),
  http('http-head.js'),
  http('http-read-loop.js'),
  http('http-data-events.js'),
  http('http-for-await.mjs'),
  http('http-etag.js'),
  http('http-sniff.js'),
  http('http-class-handler.js'),
  http('http-helper-function.js'),
  http('http-content-length.js'),
  http('http-writehead-chain.js'),
  http('http-promisify.js'),
  // TLS: streaming is the fix
  tlsCase('https-readfile.js', 'https'),
  tlsCase('https-async.mjs', 'https'),
  tlsCase('https-readfilesync.js', 'https'),
  tlsCase('tls-socket-readfile.js', 'tls'),
  // raw TCP
  { server: 'net-readfile.js', protocol: 'net', requests: lineRequests(), expect: { transfers: 'sendfile' } },
  { server: 'net-stream-pipe.js', protocol: 'net', requests: lineRequests(), expect: { transfers: 'sendfile' } },
  { server: 'net-framed.js', protocol: 'net', requests: framedRequests(), expect: { transfers: 'sendfile' } },
  // HTTP/2
  h2('http2-stream-readfile.js'),
  h2('http2-compat.js'),
  h2('http2-async.mjs'),
  h2('http2-pipe.js', 'h2c'),
  // frameworks
  http('express-readfile-send.js'),
  http('express-async.js', '/files/'),
  http('express-stream.js', '/media/'),
  http('express-end.js', '/raw/'),
  http('koa-readfile.js'),
  http('koa-stream.mjs'),
  http('koa-readfile-callback.js'),
  http('fastify-readfile.js'),
  http('fastify-stream.js', '/download/'),
  http('fastify-callback.js', '/static/'),
  // no fix, and why
  { server: 'nofix-buffer-after-send.js', protocol: 'http', expect: { noFix: /after/ } },
  { server: 'nofix-partial-read.js', protocol: 'http', expect: { noFix: /partial|chunk/ } },
  { server: 'nofix-other-file/server.js', protocol: 'http', expect: { noFix: /another file|other file/ } },
];

/** The requests a case sends. */
export function requestsOf(c: BehaviourCase): readonly HttpRequest[] | readonly SocketRequest[] {
  if (c.requests) return c.requests;
  if (c.protocol === 'net' || c.protocol === 'tls') return lineRequests();
  return httpRequests();
}
