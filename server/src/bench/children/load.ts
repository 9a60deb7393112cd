/**
 * The load client, a child process of its own (bundled as dist/bench-load.js): asked over IPC to
 * make `concurrency` connections that each fetch the file `transfersEach` times, it answers with
 * every transfer's time, length, status and, in the verification pass, SHA-256 and first bytes.
 * It exits when its parent goes away.
 *
 * Timed HTTP/1.1 runs use the native client the `zerocopy` addon carries (ZEROCOPY_BENCH_RUNTIME:
 * the runtime's path), when it loaded: a Node client's cost per request is paid once per
 * transfer, and at small bodies it is a good part of what a transfer takes, so it would shrink
 * every ratio measured (and differ from `npm run bench:runtime`'s C clients). The verification
 * pass, HTTP/2 and plain sockets use Node's.
 */
import { createHash } from 'node:crypto';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { Http1Connection } from './http1-client';
import type { LoadMessage, LoadRequest, TransferResult } from './messages';
import { loadNativeClient, type NativeClient } from './nativeClient';

const native = loadNativeClient(process.env.ZEROCOPY_BENCH_RUNTIME);

const send = (message: LoadMessage): void => {
  process.send?.(message);
};

/** Kept between runs: keep-alive connections are part of what a server is measured with. */
const http1Pool = new Map<number, Http1Connection[]>();
const http2Sessions = new Map<number, http2.ClientHttp2Session>();
const netSockets = new Set<net.Socket>();

function http1Connections(port: number, count: number): Http1Connection[] {
  let pool = http1Pool.get(port);
  if (!pool) http1Pool.set(port, (pool = []));
  while (pool.length < count) pool.push(new Http1Connection(port));
  return pool.slice(0, count);
}

function http2Session(port: number): http2.ClientHttp2Session {
  let session = http2Sessions.get(port);
  if (!session || session.closed || session.destroyed) {
    const connecting = http2.connect(`http://127.0.0.1:${port}`, { settings: { initialWindowSize: 1 << 24 } });
    // A large connection window, as browsers use: the sender is not held back by the receiver.
    connecting.once('connect', () => connecting.setLocalWindowSize(1 << 28));
    session = connecting;
    session.on('error', () => undefined);
    http2Sessions.set(port, session);
  }
  return session;
}

function http2Get(port: number, verify: boolean): Promise<TransferResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const stream = http2Session(port).request({ ':path': '/file' });
    const hash = verify ? createHash('sha256') : undefined;
    let bytes = 0;
    let status = 0;
    const first: Buffer[] = [];
    stream.on('response', (headers) => (status = Number(headers[':status'] ?? 0)));
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (hash) {
        hash.update(chunk);
        if (first.length === 0) first.push(Buffer.from(chunk.subarray(0, 64)));
      }
    });
    stream.on('error', reject);
    stream.on('end', () => {
      const result: TransferResult = { ms: Number(process.hrtime.bigint() - started) / 1e6, bytes, status };
      if (hash) {
        result.sha256 = hash.digest('hex');
        result.head = (first[0] ?? Buffer.alloc(0)).toString('base64');
      }
      resolve(result);
    });
    stream.end();
  });
}

/** A plain socket: connect, read until the server ends it. */
function netGet(port: number, verify: boolean): Promise<TransferResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const hash = verify ? createHash('sha256') : undefined;
    const first: Buffer[] = [];
    let bytes = 0;
    const buffer = Buffer.allocUnsafe(1 << 20);
    const socket = net.connect({
      port,
      host: '127.0.0.1',
      onread: {
        buffer,
        callback: (n: number, buf: Uint8Array) => {
          bytes += n;
          if (hash) {
            const chunk = Buffer.from(buf.buffer, buf.byteOffset, n);
            hash.update(chunk);
            if (first.length === 0) first.push(Buffer.from(chunk.subarray(0, 64)));
          }
          return true;
        },
      },
    });
    netSockets.add(socket);
    socket.on('error', reject);
    socket.on('end', () => socket.end());
    socket.on('close', () => {
      netSockets.delete(socket);
      const result: TransferResult = { ms: Number(process.hrtime.bigint() - started) / 1e6, bytes, status: 0 };
      if (hash) {
        result.sha256 = hash.digest('hex');
        result.head = (first[0] ?? Buffer.alloc(0)).toString('base64');
      }
      resolve(result);
    });
  });
}

/** Every connection and session closed: what is in flight fails, and the next run starts afresh. */
function closeAll(): void {
  for (const pool of http1Pool.values()) for (const c of pool) c.close(new Error('aborted'));
  http1Pool.clear();
  for (const session of http2Sessions.values()) session.destroy();
  http2Sessions.clear();
  for (const socket of netSockets) socket.destroy(new Error('aborted'));
  netSockets.clear();
  // A native run in flight fails with "aborted" and closes its connections itself.
  native?.abortHttpLoad();
  native?.closeHttpLoad();
}

async function runNative(client: NativeClient, request: LoadRequest): Promise<LoadMessage> {
  try {
    const { elapsedMs, transfers } = await client.httpLoad(request.port, '/file', request.concurrency, request.transfersEach, request.timeoutMs);
    return { type: 'result', elapsedMs, transfers };
  } catch (error) {
    return { type: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

async function run(request: LoadRequest): Promise<LoadMessage> {
  if (native && request.protocol === 'http1' && !request.verify) return runNative(native, request);
  const transfers: TransferResult[] = [];
  const getters: Array<() => Promise<TransferResult>> = [];
  if (request.protocol === 'http1') {
    for (const connection of http1Connections(request.port, request.concurrency)) getters.push(() => connection.get(request.verify));
  } else {
    for (let i = 0; i < request.concurrency; i++) getters.push(request.protocol === 'http2' ? () => http2Get(request.port, request.verify) : () => netGet(request.port, request.verify));
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`a transfer took longer than ${request.timeoutMs / 1000} s`)), request.timeoutMs);
  });
  const started = process.hrtime.bigint();
  try {
    await Promise.race([
      Promise.all(
        getters.map(async (get) => {
          for (let i = 0; i < request.transfersEach; i++) transfers.push(await get());
        }),
      ),
      timeout,
    ]);
  } catch (error) {
    // A connection left mid-body would answer the next request with the rest of this one.
    closeAll();
    return { type: 'failed', message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
  return { type: 'result', elapsedMs: Number(process.hrtime.bigint() - started) / 1e6, transfers };
}

process.on('message', (request: LoadRequest | { type: 'abort' }) => {
  if (request.type === 'run') void run(request).then(send);
  else if (request.type === 'abort') closeAll();
});
process.on('disconnect', () => process.exit(0));
