// Sizes at or below which reading the bytes and writing them in one call beats
// sendfile. Measured with `npm run bench:runtime -- --crossover` (README,
// "Small-file crossover"); the environment variables set them where another
// machine measures otherwise, and let the measurement force either path.
//
// Both are 0: only an empty HTTP/1 body is 'copy' (headers alone). Plain sockets: sendfile was faster, with less CPU, at
// every size down to 4 KiB (2.0-4.5x read + write). HTTP/1, since the headers
// and the body's first slice go out in one native call: sendfile after the
// headers was ahead at every size down to 1 KiB, with 1 and 64 connections
// (1.16-2.10x one write of headers + body, 2026-11-27 21:00 UTC, quiet machine).
// Under load, before that change, one write had won at 1-4 KiB (the old 4 KiB).

function sizeFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : fallback;
}

/** HTTP/1 bodies up to this size go out together with the headers in one write ('copy'). */
export const SMALL_HTTP_BODY_BYTES = sizeFromEnv('ZEROCOPY_SMALL_HTTP_BODY_BYTES', 0);
/** Socket transfers up to this size are read and written in one call ('copy'). */
export const SMALL_SOCKET_BYTES = sizeFromEnv('ZEROCOPY_SMALL_SOCKET_BYTES', 0);
