// File -> HTTP/1 response: the headers Node builds (with Content-Length from
// the file or range) and the body with sendfile, written together on the
// response's socket in one native call, then the response is ended so
// 'finish' fires and keep-alive carries on.
import type * as http from 'node:http';
import type * as net from 'node:net';
import { waitForEvent } from './cancellation';
import { conflictingFraming, invalidArgValue } from './errors';
import type { OpenedFile } from './open-file';
import type { SendResult } from './result';
import { canSendfile, sendOverSocket } from './send-socket';
import { copyToWritable, readRange } from './stream-copy';
import { SMALL_HTTP_BODY_BYTES } from './thresholds';

/** What sendFile uses of a response beyond its public API: how Node builds and tracks the head. */
interface ResponseHead {
  /** The status line and headers, latin1, once built. */
  _header: string | null;
  /** Whether `_header` was written to the socket; Node prepends it to the next write otherwise. */
  _headerSent: boolean;
  /** Builds `_header` from statusCode and the headers set, as writeHead does. */
  _implicitHeader(): void;
}

/**
 * Builds the head as Node would for a write now and takes it over: Node
 * counts it as sent, and the caller writes it to the socket.
 */
function takeHead(res: http.ServerResponse): string {
  const response = res as unknown as ResponseHead;
  response._implicitHeader();
  response._headerSent = true;
  return response._header ?? '';
}

/** The response owns its socket now (not queued behind an earlier pipelined response). */
function ownedSocket(res: http.ServerResponse): net.Socket | undefined {
  const socket = res.socket as (net.Socket & { _httpMessage?: unknown }) | null;
  return socket && socket._httpMessage === res ? socket : undefined;
}

/**
 * Frames the body before anything is written: Content-Length from the range,
 * unless the code chose Transfer-Encoding itself; that choice is honoured (the
 * body goes through Node, which frames it) and never sent together with a
 * Content-Length (RFC 9112 6.2: the request-smuggling class).
 */
function declareLength(res: http.ServerResponse, length: number): void {
  const declared = res.getHeader('content-length');
  const encoding = res.getHeader('transfer-encoding');
  if (encoding !== undefined) {
    if (declared !== undefined) throw conflictingFraming(encoding, declared);
    return;
  }
  if (declared === undefined) res.setHeader('Content-Length', length);
  else if (Number(declared) !== length) {
    throw invalidArgValue('Content-Length', declared, `must equal the ${length} bytes being sent`);
  }
}

async function finish(res: http.ServerResponse, signal: AbortSignal | undefined, body?: Buffer): Promise<void> {
  if (res.writableFinished) return;
  const finished = waitForEvent(res, 'finish', signal);
  res.end(body);
  await finished;
}

/**
 * Statuses whose responses never have content (RFC 9110 6.4.1): 1xx, 204 and
 * 304. Node frames them without a body or Content-Length, and a client parses
 * the next response on the connection right after their headers.
 */
export function forbidsBody(statusCode: number): boolean {
  return statusCode === 204 || statusCode === 304 || (statusCode >= 100 && statusCode < 200);
}

export async function sendToResponse(res: http.ServerResponse, file: OpenedFile, signal: AbortSignal | undefined): Promise<SendResult> {
  const fresh = !res.headersSent;
  const socket = ownedSocket(res);
  const direct = fresh && socket !== undefined && canSendfile(socket) && !res.hasHeader('transfer-encoding');
  const bodiless = forbidsBody(res.statusCode);
  if (fresh && !bodiless) declareLength(res, file.length);
  if (bodiless || res.req?.method === 'HEAD') {
    // The headers alone (HEAD keeps the Content-Length a GET would have had), as Node sends them.
    file.method = direct ? 'sendfile' : 'stream';
    await finish(res, signal);
    return { bytes: 0, method: file.method };
  }
  if (!direct) {
    const bytes = await copyToWritable(res, file, 0, signal);
    await finish(res, signal);
    return { bytes, method: 'stream' };
  }
  if (file.length <= SMALL_HTTP_BODY_BYTES) {
    // One write with the headers beats a header write plus a sendfile call.
    file.method = 'copy';
    await finish(res, signal, await readRange(file.fd, file.start, file.length));
    return { bytes: file.length, method: 'copy' };
  }
  const sending = sendOverSocket(socket, file, signal, takeHead(res));
  const result = sending instanceof Promise ? await sending : sending;
  // Node did not see the body go by; its own length check would wrongly fail.
  (res as { strictContentLength?: boolean }).strictContentLength = false;
  await finish(res, signal);
  return result;
}
