// File -> plain TCP or Unix socket with sendfile(2), falling back to chunked
// copying where sendfile does not apply.
import type * as net from 'node:net';
import { watchCancellation } from './cancellation';
import { streamDestroyed } from './errors';
import { native } from './native';
import { SLICE_BYTES, isUnsupported, startSendfile, transferError, type TransferClass, type TrySend } from './native-transfer';
import type { OpenedFile } from './open-file';
import type { SendResult } from './result';
import { exclusive, isBusy, isQuiet, socketFd, whenQuiet } from './socket-access';
import { copyToWritable, readRange } from './stream-copy';
import { SMALL_SOCKET_BYTES } from './thresholds';

const isEncrypted = (socket: net.Socket): boolean => (socket as { encrypted?: boolean }).encrypted === true;

/** Whether sendfile(2) can be used on this socket at all. */
export function canSendfile(socket: net.Socket): boolean {
  return native.trySend !== undefined && !isEncrypted(socket) && socketFd(socket) >= 0;
}

/**
 * Sends the file's range over `socket`, after `head` (a latin1 string: an
 * HTTP response's status line and headers) when one is given. Transfers to
 * one socket run one after another; writes made by others while one runs are
 * held back (cork) and follow the file's bytes.
 *
 * The common case — nothing queued on the socket, nothing else sending, and
 * the socket takes the head and the whole range at once — completes
 * synchronously here, in one native call, without a promise, a listener or a
 * native object.
 */
export function sendOverSocket(socket: net.Socket, file: OpenedFile, signal: AbortSignal | undefined, head = ''): SendResult | Promise<SendResult> {
  const trySend = native.trySend;
  const Transfer = native.Transfer;
  if (trySend && Transfer && !isBusy(socket) && isQuiet(socket) && !isEncrypted(socket) && file.length > SMALL_SOCKET_BYTES) {
    const fd = socketFd(socket);
    if (fd >= 0) {
      const written = firstSlice(socket, trySend, fd, file, head);
      const sent = written - head.length;
      if (sent === file.length) return { bytes: sent, method: 'sendfile' };
      if (sent >= 0) return exclusive(socket, () => continueSending(socket, Transfer, fd, file, sent, signal));
      // Part of the head, or nothing at all (sendfile refused): Node writes the rest of the head.
      head = head.slice(Math.max(written, 0));
    }
  }
  if (head !== '') socket.write(head, 'latin1');
  return exclusive(socket, () => sendWhenQuiet(socket, file, signal));
}

async function sendWhenQuiet(socket: net.Socket, file: OpenedFile, signal: AbortSignal | undefined): Promise<SendResult> {
  await whenQuiet(socket, signal);
  const fd = socketFd(socket);
  const { trySend, Transfer } = native;
  if (!trySend || !Transfer || fd < 0 || isEncrypted(socket)) return copyRest(socket, file, 0, signal);
  if (file.length === 0) return { bytes: 0, method: 'sendfile' };
  if (file.length <= SMALL_SOCKET_BYTES) {
    file.method = 'copy';
    const body = await readRange(file.fd, file.start, file.length);
    if (socket.destroyed) throw streamDestroyed();
    socket.write(body);
    return { bytes: file.length, method: 'copy' };
  }
  const sent = firstSlice(socket, trySend, fd, file, '');
  if (sent < 0) return copyRest(socket, file, 0, signal);
  if (sent === file.length) return { bytes: sent, method: 'sendfile' };
  return continueSending(socket, Transfer, fd, file, sent, signal);
}

/**
 * Sends `head` and what the socket takes of the file now. Returns the bytes
 * sent, head included, or -1 when sendfile does not apply (stream instead);
 * throws for any other failure before a byte went out, having destroyed the
 * socket if the failure was the socket's.
 */
function firstSlice(socket: net.Socket, trySend: TrySend, fd: number, file: OpenedFile, head: string): number {
  file.method = 'sendfile';
  const result = trySend(fd, file.fd, file.start, file.length, SLICE_BYTES, head);
  if (result >= 0) return result;
  const error = transferError(result, 0, file.length);
  if (isUnsupported(error)) return -1;
  // Nothing reached the socket when the file is what failed; otherwise the socket is broken.
  const code = (error as { code?: string }).code;
  if (code !== 'ERR_ZEROCOPY_SHORT_READ' && code !== 'EBADF') socket.destroy();
  throw error;
}

/** The socket is full after `sent` bytes: wait for writability with a native Transfer. */
async function continueSending(socket: net.Socket, Transfer: TransferClass, fd: number, file: OpenedFile, sent: number, signal: AbortSignal | undefined): Promise<SendResult> {
  socket.cork();
  try {
    sent += await transferCancellable(socket, Transfer, fd, file, sent, signal);
    return { bytes: sent, method: 'sendfile' };
  } catch (error) {
    if (!isUnsupported(error)) throw error;
    sent = error.bytes;
  } finally {
    socket.uncork();
  }
  return copyRest(socket, file, sent, signal);
}

/** Copies the range from `sent` on (no sendfile here, or sendfile refused this file). */
async function copyRest(socket: net.Socket, file: OpenedFile, sent: number, signal: AbortSignal | undefined): Promise<SendResult> {
  const rest = await copyToWritable(socket, file, sent, signal);
  return { bytes: sent + rest, method: 'stream' };
}

function transferCancellable(socket: net.Socket, Transfer: TransferClass, fd: number, file: OpenedFile, sent: number, signal: AbortSignal | undefined): Promise<number> {
  const sending = startSendfile(Transfer, fd, file.fd, file.start + sent, file.length - sent, sent, file.length);
  return new Promise<number>((resolve, reject) => {
    const watch = watchCancellation(socket, signal, (error, aborted) => {
      sending.cancel();
      // A partial body is useless to the peer; a closed socket needs nothing.
      if (aborted) socket.destroy();
      reject(error);
    });
    sending.done.then(
      (bytes) => {
        watch.dispose();
        resolve(bytes);
      },
      (error: Error) => {
        watch.dispose();
        // Unsupported: the caller copies the rest. Anything else leaves a partial body.
        if (!isUnsupported(error)) socket.destroy();
        reject(error);
      },
    );
  });
}
