/**
 * Every difference the behaviour test allows between a server and its fixed copy, in one place.
 * Anything not listed here must be identical: status, every response header, the body's bytes
 * (sha-256), whether the connection was reused, and the client-side error if there was one.
 *
 * 1. `Date` — the time of the response.
 * 2. Framing: where the original sent a body of unknown length (`Transfer-Encoding: chunked`), the
 *    fixed server knows the length from the file and sends `Content-Length` instead. Allowed only
 *    that way round, and only when the fixed `Content-Length` is the length of the body the
 *    original sent (for a HEAD, the length of the same path's GET body, which the caller passes).
 *    The body itself must still be the same bytes.
 * 3. `Keep-Alive` (`timeout=5`): Node adds it to keep-alive responses; its value is the server's
 *    timeout, not the response's, and it is compared anyway (listed here so nobody adds it).
 */
import type { Outcome } from './clients';

/** Headers that are never compared (1). */
const IGNORED = new Set(['date']);

export interface Difference {
  request: string;
  what: string;
  original: unknown;
  fixed: unknown;
}

/**
 * The differences between the two outcomes of one request that the rules above do not allow.
 * `getLength` is the body length the original sent for the same path with GET (for HEAD, rule 2).
 */
export function differences(original: Outcome, fixed: Outcome, getLength?: number): Difference[] {
  const out: Difference[] = [];
  const note = (what: string, a: unknown, b: unknown) => out.push({ request: original.request, what, original: a, fixed: b });
  if (original.status !== fixed.status) note('status', original.status, fixed.status);
  if (original.error !== fixed.error) note('client error', original.error, fixed.error);
  if (original.reusedSocket !== fixed.reusedSocket) note('connection reused', original.reusedSocket, fixed.reusedSocket);
  if (JSON.stringify(original.body) !== JSON.stringify(fixed.body)) note('body', original.body, fixed.body);

  const a = { ...original.headers };
  const b = { ...fixed.headers };
  for (const h of IGNORED) {
    delete a[h];
    delete b[h];
  }
  // (2) chunked -> Content-Length of the same body.
  if (a['transfer-encoding'] === 'chunked' && b['transfer-encoding'] === undefined && a['content-length'] === undefined && b['content-length'] !== undefined) {
    const length = original.request.startsWith('HEAD ') ? getLength : original.body?.bytes;
    if (length !== undefined && Number(b['content-length']) === length) {
      delete a['transfer-encoding'];
      delete b['content-length'];
    }
  }
  for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (a[name] !== b[name]) note(`header ${name}`, a[name], b[name]);
  }
  return out;
}
