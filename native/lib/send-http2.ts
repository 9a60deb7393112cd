// File -> HTTP/2 stream: Http2Stream#respondWithFD, which has nghttp2 read the
// descriptor itself; our job is the headers, the range and knowing when it ended.
import * as http2 from 'node:http2';
import { abortError, streamDestroyed } from './errors';
import type { OpenedFile } from './open-file';
import type { SendResult } from './result';
import { forbidsBody } from './send-http';
import { copyToWritable } from './stream-copy';

export type Http2Target = http2.ServerHttp2Stream | http2.Http2ServerResponse;

export function isHttp2Target(target: unknown): target is Http2Target {
  if (target instanceof http2.Http2ServerResponse) return true;
  // ServerHttp2Stream is not exported; it is the stream that can respond.
  const stream = target as Partial<http2.ServerHttp2Stream> | null;
  return typeof stream === 'object' && stream !== null && typeof stream.respondWithFD === 'function' && typeof stream.respond === 'function';
}

function streamError(stream: http2.ServerHttp2Stream): Error {
  return Object.assign(new Error(`HTTP/2 stream closed with code ${stream.rstCode}`), { code: 'ERR_HTTP2_STREAM_ERROR', rstCode: stream.rstCode });
}

/** Resolves when the stream has closed cleanly, rejects when it was reset or the signal aborted. */
function whenClosed(stream: http2.ServerHttp2Stream, signal: AbortSignal | undefined): Promise<void> {
  if (stream.closed || stream.destroyed) return Promise.reject(streamDestroyed());
  return new Promise((resolve, reject) => {
    // Closing with CANCEL makes 'close' fire, which settles the promise.
    const onAbort = (): void => stream.close(http2.constants.NGHTTP2_CANCEL);
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.once('close', () => {
      signal?.removeEventListener('abort', onAbort);
      if (stream.rstCode === http2.constants.NGHTTP2_NO_ERROR) resolve();
      else reject(signal?.aborted ? abortError(signal.reason) : streamError(stream));
    });
  });
}

export async function sendToHttp2(target: Http2Target, file: OpenedFile, signal: AbortSignal | undefined): Promise<SendResult> {
  const compat = target instanceof http2.Http2ServerResponse ? target : undefined;
  const stream = compat ? compat.stream : (target as http2.ServerHttp2Stream);
  if (stream.headersSent) {
    // Headers already went out: the body can only follow as DATA frames.
    const bytes = await copyToWritable(stream, file, 0, signal);
    const closed = whenClosed(stream, signal);
    stream.end();
    await closed;
    return { bytes, method: 'stream' };
  }
  const status = compat ? compat.statusCode : 200;
  const headers: http2.OutgoingHttpHeaders = compat ? { ...compat.getHeaders(), ':status': status } : { ':status': status };
  const bodiless = forbidsBody(status);
  if (headers['content-length'] === undefined && !bodiless) headers['content-length'] = file.length;
  file.method = 'respondWithFD';
  const closed = whenClosed(stream, signal);
  if (bodiless || compat?.req.method === 'HEAD') {
    stream.respond(headers, { endStream: true });
    await closed;
    return { bytes: 0, method: 'respondWithFD' };
  }
  stream.respondWithFD(file.fd, headers, { offset: file.start, length: file.length });
  await closed;
  return { bytes: file.length, method: 'respondWithFD' };
}
