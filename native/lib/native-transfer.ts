// Runs native transfers: one synchronous slice first (most transfers end
// there), then, if the socket filled up, a Transfer that waits for
// writability on the event loop and can be cancelled.
import { TRY_SEND_END_OF_FILE, TransferStatus, type NativeBinding } from './binding';
import { shortRead, systemError } from './errors';

/**
 * Bytes one turn of the event loop may send before yielding to other work.
 * Large enough that a fast socket is rarely interrupted, small enough (a few
 * milliseconds at loopback speed) that timers and other sockets stay responsive.
 */
export const SLICE_BYTES = 4 * 1024 * 1024;

export type TransferClass = NonNullable<NativeBinding['Transfer']>;
export type TrySend = NonNullable<NativeBinding['trySend']>;

/** A transfer failure, with the bytes that did go out before it. */
export type TransferError = Error & { bytes: number };

/**
 * The failure for a status (-errno or end of file). `sent` is what went out
 * before it, counted from the start of the whole range of `length` bytes.
 */
export function transferError(status: number, sent: number, length: number): TransferError {
  if (status === TRY_SEND_END_OF_FILE || status === TransferStatus.endOfFile) return shortRead(length, sent);
  return Object.assign(systemError(status, 'sendfile'), { bytes: sent });
}

/** sendfile refused this file or socket kind: stream the rest instead. */
export function isUnsupported(error: unknown): error is TransferError {
  const code = (error as { code?: unknown }).code;
  return code === 'EINVAL' || code === 'ENOSYS' || code === 'EOPNOTSUPP' || code === 'ENOTSUP';
}

export interface Sending {
  /** Resolves with the bytes sent by this Transfer; rejects with a TransferError. */
  done: Promise<number>;
  /** Stops sending now; `done` then never settles. Returns the bytes sent. */
  cancel(): number;
}

/** Sends `length` bytes from `offset`, waiting for writability as needed. `before` and `total` only shape errors. */
export function startSendfile(Transfer: TransferClass, socketFd: number, fileFd: number, offset: number, length: number, before: number, total: number): Sending {
  let settle!: (status: number, bytes: number) => void;
  const done = new Promise<number>((resolve, reject) => {
    settle = (status, bytes) => (status === TransferStatus.done ? resolve(bytes) : reject(transferError(status, before + bytes, total)));
  });
  const transfer = new Transfer(socketFd, fileFd, offset, length, SLICE_BYTES, settle);
  const status = transfer.pump();
  if (status !== TransferStatus.pending) settle(status, transfer.bytes);
  return { done, cancel: () => transfer.cancel() };
}
