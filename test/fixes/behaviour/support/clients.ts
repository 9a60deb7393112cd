/**
 * Real clients for the servers under test: Node's http/https (one keep-alive agent per run, so
 * every request after the first rides the same connection unless the server closed it), http2
 * (one session), and raw net/tls sockets. Each request becomes an `Outcome`: status, headers,
 * the body's length and sha-256, whether the connection was reused, or the client's error.
 * A request that gets no answer fails after REQUEST_TIMEOUT_MS as a 'timeout' outcome.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';

const REQUEST_TIMEOUT_MS = 10_000;

export interface HttpRequest {
  method?: 'GET' | 'HEAD';
  path: string;
  headers?: Record<string, string>;
  /** How the request is named when its headers were filled in at run time (exercise.ts). */
  label?: string;
}

export interface Outcome {
  /** The request, as a person would write it: "GET /big.bin (Range: bytes=0-99)". */
  request: string;
  status?: number;
  headers?: Record<string, string>;
  body?: { bytes: number; sha256: string };
  /** HTTP/1: whether the agent sent the request on a connection an earlier request used. */
  reusedSocket?: boolean;
  /** What the client saw instead of a complete answer (ECONNRESET, a stream reset, 'timeout'). */
  error?: string;
}

export function describe(r: HttpRequest): string {
  if (r.label) return r.label;
  const headers = Object.entries(r.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
  return `${r.method ?? 'GET'} ${r.path}${headers.length ? ` (${headers.join(', ')})` : ''}`;
}

function digest(chunks: Buffer[]): { bytes: number; sha256: string } {
  const body = Buffer.concat(chunks);
  return { bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') };
}

function flatHeaders(headers: http.IncomingHttpHeaders | http2.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

export interface Client<R> {
  send(request: R): Promise<Outcome>;
  close(): Promise<void>;
}

/** HTTP/1.1 (or HTTPS with `ca`) on one keep-alive agent holding one socket: requests reuse it unless the server closed it. */
export function httpClient(port: number, ca?: Buffer): Client<HttpRequest> {
  const options = { keepAlive: true, maxSockets: 1 };
  const agent = ca ? new https.Agent({ ...options, ca }) : new http.Agent(options);
  const request = ca ? https.request : http.request;
  return {
    send: (r) =>
      new Promise<Outcome>((resolve) => {
        const label = describe(r);
        const req = request({ host: '127.0.0.1', port, path: r.path, method: r.method ?? 'GET', headers: r.headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.once('end', () =>
            resolve({ request: label, status: res.statusCode, headers: flatHeaders(res.headers), body: digest(chunks), reusedSocket: req.reusedSocket }),
          );
          res.once('error', (e: NodeJS.ErrnoException) => resolve({ request: label, status: res.statusCode, error: e.code ?? e.message }));
        });
        req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
        req.once('error', (e: NodeJS.ErrnoException) => resolve({ request: label, error: e.code ?? e.message, reusedSocket: req.reusedSocket }));
        req.end();
      }),
    close: async () => agent.destroy(),
  };
}

/**
 * HTTP/2 (h2 over TLS with `ca`, else h2c): requests on one session while the server keeps it; a
 * new session once it closed it (`reusedSocket` says whether the request rode an earlier session).
 */
export function http2Client(port: number, ca?: Buffer): Client<HttpRequest> {
  const connect = () => {
    const s = http2.connect(`${ca ? 'https' : 'http'}://127.0.0.1:${port}`, ca ? { ca } : {});
    s.on('error', () => undefined); // each stream reports what it saw
    return s;
  };
  let session = connect();
  let used = false;
  return {
    send: (r) =>
      new Promise<Outcome>((resolve) => {
        const label = describe(r);
        if (session.closed || session.destroyed) {
          session = connect();
          used = false;
        }
        const reusedSocket = used;
        used = true;
        const current = session;
        const chunks: Buffer[] = [];
        let status: number | undefined;
        let headers: Record<string, string> | undefined;
        let settled = false;
        // A session that dies before the stream says anything (a server that crashed) ends the request too.
        const onSessionClose = () => settle({ request: label, ...(status === undefined ? {} : { status }), error: 'session closed' });
        const settle = (o: Outcome) => {
          if (settled) return;
          settled = true;
          current.off('close', onSessionClose);
          resolve({ ...o, reusedSocket });
        };
        current.once('close', onSessionClose);
        let stream: http2.ClientHttp2Stream;
        try {
          stream = current.request({ ':method': r.method ?? 'GET', ':path': r.path, ...r.headers }, { endStream: true });
        } catch (e) {
          return settle({ request: label, error: (e as NodeJS.ErrnoException).code ?? String(e) });
        }
        stream.on('response', (h) => {
          status = Number(h[':status']);
          headers = flatHeaders(h);
        });
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', () => undefined); // seen in 'close' as the reset code
        stream.setTimeout(REQUEST_TIMEOUT_MS, () => stream.close(http2.constants.NGHTTP2_CANCEL));
        stream.once('close', () => {
          const code = stream.rstCode;
          if (status === undefined || (code !== undefined && code !== http2.constants.NGHTTP2_NO_ERROR)) {
            settle({ request: label, ...(status === undefined ? {} : { status }), error: `stream closed with code ${code}` });
          } else settle({ request: label, status, headers, body: digest(chunks) });
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (session.closed || session.destroyed) return resolve();
        session.once('close', () => resolve());
        session.close();
      }),
  };
}

export interface SocketRequest {
  /** What the client writes once connected. */
  send: string;
  label?: string;
}

/** Raw TCP (or TLS with `ca`): each request on a new connection; everything received until the server ends it. */
export function socketClient(port: number, ca?: Buffer): Client<SocketRequest> {
  return {
    send: (r) =>
      new Promise<Outcome>((resolve) => {
        const label = r.label ?? JSON.stringify(r.send);
        const socket = ca ? tls.connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }) : net.connect({ host: '127.0.0.1', port });
        const chunks: Buffer[] = [];
        let error: string | undefined;
        socket.once(ca ? 'secureConnect' : 'connect', () => socket.write(r.send));
        socket.on('data', (c: Buffer) => chunks.push(c));
        socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
        socket.once('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
        socket.once('close', () => resolve({ request: label, body: digest(chunks), ...(error ? { error } : {}) }));
      }),
    close: async () => undefined,
  };
}
