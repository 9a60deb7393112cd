/**
 * What sendFile really did:
 * - 'sendfile': the bytes went from the file to the socket with sendfile(2);
 * - 'respondWithFD': an HTTP/2 stream was answered with Http2Stream#respondWithFD;
 * - 'copy': a small file (at or below SMALL_HTTP_BODY_BYTES or SMALL_SOCKET_BYTES, both 0
 *   unless set from the environment: by default only an empty HTTP/1 body) was read and
 *   written in one call;
 * - 'stream': the bytes were read and written in chunks (TLS, a Writable that is
 *   not a socket, no usable sendfile, or the addon did not load).
 */
export type SendMethod = 'sendfile' | 'respondWithFD' | 'copy' | 'stream';

export interface SendResult {
  /** Bytes of the file sent (0 for HEAD). */
  bytes: number;
  method: SendMethod;
}
