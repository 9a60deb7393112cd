// sendFile: picks the transport-specific path for the target, after the file
// has been opened and checked.
import * as http from 'node:http';
import * as net from 'node:net';
import { abortError, invalidArgType, writeAfterEnd } from './errors';
import { openFile, release, type OpenedFile } from './open-file';
import { publishSend, sendFileChannel, type TargetKind } from './observe';
import { checkFileInput, checkSendFileOptions, type FileInput, type SendFileOptions } from './options';
import type { SendResult } from './result';
import { isHttp2Target, sendToHttp2 } from './send-http2';
import { sendToResponse } from './send-http';
import { sendOverSocket } from './send-socket';
import { copyToWritable, type WritableLike } from './stream-copy';

/** What sendFile accepts as a target. */
export type SendTarget = net.Socket | http.ServerResponse | NodeJS.WritableStream;

function isWritableLike(target: unknown): target is WritableLike {
  return typeof target === 'object' && target !== null && typeof (target as WritableLike).write === 'function' && typeof (target as WritableLike).on === 'function';
}

/**
 * Sends a file (or the range `start`..`end`, `end` inclusive) to `target`.
 *
 * - `net.Socket` (TCP or Unix domain): sendfile(2); the socket is not ended,
 *   so it can carry more data afterwards; bytes written before arrive first.
 * - `http.ServerResponse`: headers (Content-Length set from the range when
 *   absent), body, then the response is ended and 'finish' has fired.
 * - HTTP/2 stream or compat response: `respondWithFD`; resolves when the stream closed.
 * - TLS sockets and any other Writable: the file is copied in chunks
 *   (`method: 'stream'`); the target is not ended.
 *
 * The file is opened and checked before anything is written: a missing file
 * rejects with ENOENT and a range that does not start inside it with ERR_ZEROCOPY_RANGE_NOT_SATISFIABLE,
 * and the target is untouched. A failure in the middle (peer reset, truncated
 * file, abort) destroys the target, which then holds a partial body.
 *
 * Every call that passed its argument checks is published, when it settles,
 * on the diagnostics channel `zerocopy:sendFile` (SendFileMessage).
 */
export async function sendFile(target: SendTarget, file: FileInput, options?: SendFileOptions): Promise<SendResult> {
  if (!isWritableLike(target)) throw invalidArgType('target', 'a net.Socket, an http.ServerResponse, an HTTP/2 stream or a Writable', target);
  checkFileInput(file);
  const checked = checkSendFileOptions(options);
  const signal = checked.signal;
  let opened: OpenedFile | undefined;
  try {
    if (signal?.aborted) throw abortError(signal.reason);
    if ((target as { writableEnded?: boolean }).writableEnded) throw writeAfterEnd();
    const checking = openFile(file, checked, 'sendfile');
    opened = checking instanceof Promise ? await checking : checking;
    if (signal?.aborted) throw abortError(signal.reason);
    const sending = sendTo(target, opened, signal);
    const result = sending instanceof Promise ? await sending : sending;
    if (sendFileChannel.hasSubscribers) publishSend({ target, targetKind: kindOf(target), file, method: result.method, bytes: result.bytes, failed: false, error: undefined });
    return result;
  } catch (error) {
    if (sendFileChannel.hasSubscribers) publishSend({ target, targetKind: kindOf(target), file, method: opened?.method, bytes: bytesBefore(error, opened), failed: true, error });
    throw error;
  } finally {
    if (opened !== undefined) release(opened);
  }
}

/** Which of the paths below a target takes. */
function kindOf(target: WritableLike): TargetKind {
  if (target instanceof net.Socket) return 'socket';
  if (target instanceof http.ServerResponse) return 'http';
  if (isHttp2Target(target)) return 'http2';
  return 'writable';
}

function sendTo(target: WritableLike, opened: OpenedFile, signal: AbortSignal | undefined): SendResult | Promise<SendResult> {
  if (target instanceof net.Socket) return sendOverSocket(target, opened, signal);
  if (target instanceof http.ServerResponse) return sendToResponse(target, opened, signal);
  if (isHttp2Target(target)) return sendToHttp2(target, opened, signal);
  return copyToWritable(target, opened, 0, signal).then((bytes) => ({ bytes, method: 'stream' }));
}

/** Bytes of the file that left before a failure: sendfile's errors count them; the stream path counts on the file. */
function bytesBefore(error: unknown, opened: OpenedFile | undefined): number {
  const counted = (error as { bytes?: unknown } | null)?.bytes;
  return typeof counted === 'number' ? counted : (opened?.sent ?? 0);
}
