// The portable path: read the file in chunks and write them to the target,
// honouring backpressure. Used for TLS, non-socket Writables, platforms or
// file systems without sendfile, and when the addon did not load.
//
// Written by hand rather than with stream.pipeline: the target is not ended
// (a socket stays usable for what follows), and pipeline(..., { end: false })
// leaves a 'close' listener on the target per call in Node 20, a leak on
// persistent sockets.
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import { waitForEvent } from './cancellation';
import { abortError, shortRead, streamDestroyed } from './errors';
import { native } from './native';
import type { OpenedFile } from './open-file';

const read = promisify(fs.read);

/** Large enough to keep syscalls few, small enough for many concurrent copies. */
const CHUNK_BYTES = 256 * 1024;

export interface WritableLike extends NodeJS.EventEmitter {
  write(chunk: Buffer): boolean;
  destroy(error?: Error): unknown;
  readonly destroyed: boolean;
}

/**
 * Reads up to `length` bytes of `fd` from `position`; shorter only at the end
 * of the file. What is in the page cache is read right here (the addon's
 * preadv2 RWF_NOWAIT cannot wait on a disk); the rest through the thread pool.
 */
async function readUpTo(fd: number, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = length > 0 ? (native.readCached?.(fd, buffer, position) ?? 0) : 0;
  while (filled < length) {
    const { bytesRead } = await read(fd, buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) return buffer.subarray(0, filled);
    filled += bytesRead;
  }
  return buffer;
}

/** Reads exactly `length` bytes of `fd` from `position`, or rejects with a short-read error. */
export async function readRange(fd: number, position: number, length: number): Promise<Buffer> {
  const buffer = await readUpTo(fd, position, length);
  if (buffer.length < length) throw shortRead(length, buffer.length);
  return buffer;
}

/**
 * Writes the file's range from `from` (bytes into the range) to its end to
 * `target`; resolves with the bytes written when the last chunk is accepted by
 * `target.write`. Marks the file as streamed and counts what it wrote in
 * `file.sent`. On abort or failure after the first write, the target is
 * destroyed: it holds a partial body.
 */
export async function copyToWritable(target: WritableLike, file: OpenedFile, from: number, signal: AbortSignal | undefined): Promise<number> {
  file.method = 'stream';
  if (target.destroyed) throw streamDestroyed();
  const length = file.length - from;
  let sent = 0;
  try {
    while (sent < length) {
      if (signal?.aborted) throw abortError(signal.reason);
      if (target.destroyed) throw streamDestroyed();
      const wanted = Math.min(CHUNK_BYTES, length - sent);
      const chunk = await readUpTo(file.fd, file.start + from + sent, wanted);
      if (signal?.aborted) throw abortError(signal.reason);
      if (target.destroyed) throw streamDestroyed();
      if (chunk.length > 0) {
        sent += chunk.length;
        file.sent = from + sent;
        if (!target.write(chunk) && sent < length && chunk.length === wanted) await waitForEvent(target, 'drain', signal);
      }
      if (chunk.length < wanted) throw shortRead(file.length, from + sent);
    }
    return sent;
  } catch (error) {
    if (sent > 0 && !target.destroyed) target.destroy();
    throw error;
  }
}
