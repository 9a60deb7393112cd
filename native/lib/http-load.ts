// The load client of `zerocopy bench` (server/src/bench/children/load.ts), in the addon: HTTP/1.1
// keep-alive GETs made in a thread-pool thread, a few system calls per transfer and bodies
// dropped unread (recv MSG_TRUNC on Linux), as the C clients of `npm run bench:runtime` do. Not
// the runtime's API (index.ts does not export it): a benchmark's load client must cost the
// transfer it measures as little as possible, and a Node client costs more per request than a
// small body takes to send.
import { native } from './native';

export interface HttpLoadTransfer {
  ms: number;
  bytes: number;
  status: number;
}

/** Whether the addon carries the client (it loaded, and the platform is not Windows). */
export function httpLoadAvailable(): boolean {
  return native.httpLoad !== undefined;
}

/**
 * `connections` keep-alive connections to 127.0.0.1:`port` (kept between runs, per port) each
 * GET `path` `transfersEach` times, one after another. Rejects with the first failure (a
 * connection refused or closed mid-response, a malformed response, `timeoutMs` for the whole run,
 * an abort); every kept connection is closed then, so no half-read response is left behind.
 */
export function httpLoad(port: number, path: string, connections: number, transfersEach: number, timeoutMs: number): Promise<{ elapsedMs: number; transfers: HttpLoadTransfer[] }> {
  const run = native.httpLoad;
  if (!run) return Promise.reject(new Error('the zerocopy addon has no load client here'));
  return new Promise((resolve, reject) => {
    run(port, path, connections, transfersEach, timeoutMs, (error, result) => {
      if (error !== undefined || !result) return reject(new Error(error ?? 'no result'));
      const transfers: HttpLoadTransfer[] = [];
      for (let i = 0; i < result.ms.length; i++) transfers.push({ ms: result.ms[i]!, bytes: result.bytes[i]!, status: result.status[i]! });
      resolve({ elapsedMs: result.elapsedMs, transfers });
    });
  });
}

/** Makes a run in flight fail with "aborted" (within 50 ms). */
export function abortHttpLoad(): void {
  native.httpLoadAbort?.();
}

/** Closes every kept connection; false (nothing done) while a run is in flight. */
export function closeHttpLoad(): boolean {
  return native.httpLoadClose?.() ?? true;
}
