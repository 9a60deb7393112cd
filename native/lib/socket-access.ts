// What sendFile needs from a net.Socket beyond its public API: the descriptor
// (socket._handle.fd on Unix), and the moment Node's own write queue is empty,
// so bytes written before sendFile reach the peer before the file's bytes.
import type * as net from 'node:net';
import { waitForEvent, watchCancellation } from './cancellation';
import { streamDestroyed } from './errors';

interface StreamHandle {
  fd?: number;
  writeQueueSize?: number;
}

function handleOf(socket: net.Socket): StreamHandle | undefined {
  return (socket as unknown as { _handle?: StreamHandle | null })._handle ?? undefined;
}

/** The socket's descriptor, or -1 where there is none we may use (Windows, wrapped streams). */
export function socketFd(socket: net.Socket): number {
  const fd = handleOf(socket)?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : -1;
}

function writesPending(socket: net.Socket): boolean {
  return socket.writableLength > 0 || (handleOf(socket)?.writeQueueSize ?? 0) > 0;
}

/** Connected, open, and nothing written before has been left in Node's queues. */
export function isQuiet(socket: net.Socket): boolean {
  return !socket.connecting && !socket.destroyed && !writesPending(socket);
}

/** Resolves once the socket is connected and everything written to it so far has left Node. */
export async function whenQuiet(socket: net.Socket, signal: AbortSignal | undefined): Promise<void> {
  if (socket.destroyed) throw streamDestroyed();
  if (socket.connecting) await waitForEvent(socket, 'connect', signal);
  if (!writesPending(socket)) return;
  // An empty write completes after every write queued before it.
  await new Promise<void>((resolve, reject) => {
    const watch = watchCancellation(socket, signal, reject);
    socket.write(Buffer.alloc(0), (error) => {
      watch.dispose();
      if (error) reject(error);
      else resolve();
    });
  });
}

const busy = new WeakMap<object, Promise<unknown>>();

export function isBusy(socket: object): boolean {
  return busy.has(socket);
}

/** Runs transfers to the same socket one after another, never interleaved. */
export function exclusive<T>(socket: object, work: () => Promise<T>): Promise<T> {
  const previous = busy.get(socket);
  const run = previous === undefined ? work() : previous.then(work, work);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  busy.set(socket, settled);
  void settled.then(() => {
    if (busy.get(socket) === settled) busy.delete(socket);
  });
  return run;
}
