// Sizes at or below which reading the bytes and writing them in one call beats
// sendfile. Measured with `npm run bench:runtime -- --crossover` (README,
// "Small-file crossover"); the environment variables exist so that the
// measurement can force either path.
//
// HTTP/1: headers and body in one write won at 1–4 KiB with 64 connections
// (0.83–0.92× for sendfile) and lost from 16 KiB on (1.1–1.6× for sendfile).
// Plain sockets: sendfile was as fast or faster, with less CPU, at every size
// down to 4 KiB, so they never copy.

function sizeFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : fallback;
}

/** HTTP/1 bodies up to this size go out together with the headers in one write ('copy'). */
export const SMALL_HTTP_BODY_BYTES = sizeFromEnv('ZEROCOPY_SMALL_HTTP_BODY_BYTES', 4 * 1024);
/** Socket transfers up to this size are read and written in one call ('copy'). */
export const SMALL_SOCKET_BYTES = sizeFromEnv('ZEROCOPY_SMALL_SOCKET_BYTES', 0);
