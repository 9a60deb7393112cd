/**
 * Reasons of the fix engine that have no no-fix fixture case YET (their text, a `…` where the
 * reason has a part computed from the code). Not exemptions: work still to do. reasons.test.ts
 * fails when one listed here gains a case (take it off the list) and when one not listed has none.
 */
export const NOT_YET_COVERED: readonly string[] = [
  'the error branch uses the bytes (… at line …), which it never had',
  'the file is not analysed (…)',
  'the file changed since it was analysed: the read is no longer where the finding says',
  'the bytes go to a socket, not a file',
  'the bytes are written in another file; the rewrite would have to change both',
  'the bytes are written by …',
  'the write has no destination or no data',
  'the write is nested in the callback',
  'the stream is not written by a call',
  'the copy is made by …',
  'the bytes are not assigned to `ctx.body`',
  'the `try` around the read is outside the middleware',
  'the file is not read whole',
  '… is not `readFile` or `readFileSync`',
  'the bytes go to …, not an HTTP/2 stream',
  'the send is chained on another call',
  'the stream goes to …, not an HTTP/2 stream',
  'the stream listener takes its parameters in an unusual way',
  'the handler returns the bytes to a framework that sends them itself (fastify); no fix is offered for that yet',
  'the bytes go to …',
  'the response is HTTP/2: see the respondWithFile fix',
  'the socket is TLS: sendFile can only stream there (see the stream fix)',
  'the target is HTTP/2: see the respondWithFile fix',
  "the bytes go to …; sendFile's rewrite here is for HTTP/1 responses and sockets",
  'not a stream',
  'the send writes nothing',
  'the bytes are decoded with …, not a literal encoding',
  'the stream is handed over by …, not piped',
  'the error handler uses the stream (line …), which the rewrite removes',
  'what … is cannot be determined',
  'the bytes go to a file',
];
