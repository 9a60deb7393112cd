/**
 * Every difference the behaviour test allows between a server and its fixed copy, in one place.
 * Anything not listed here must be identical, request by request: status, every response header,
 * the body's bytes (sha-256), whether the connection was reused, and the client's error if any.
 *
 * 1. `Date`: the time of the response.
 * 2. Framing. Where the original sent a body of unknown length — `Transfer-Encoding: chunked` in
 *    HTTP/1.1 (as Node does for `writeHead(…)` then `end(buffer)`), no length at all in HTTP/2
 *    (DATA frames until the stream ends) — the fixed server knows the length from the file and
 *    sends `Content-Length` — allowed only that way round, and only when it is the length of the
 *    body the original sent. The body must still be the same bytes.
 * 3. HEAD. Where the original answered HEAD with neither `Content-Length` nor
 *    `Transfer-Encoding` (a HEAD answered by `end(buffer)` after `writeHead`), the fixed server
 *    sends the `Content-Length` its GET would have (RFC 9110 §9.3.2 asks for the GET's headers),
 *    which must be the length of the original's GET body. Without a length, Node's server closes
 *    the connection after such a HEAD answer; with it the connection stays open, so the request
 *    after that HEAD may reuse the connection where the original opened a new one — allowed only
 *    that way round (false → true), and only right after such a HEAD.
 * 4. ETag's value, only for a case that allows it (`etagValue`: express's `res.sendFile` in place of
 *    `res.send(buffer)`): both answers carry a weak ETag (`W/"…"`), express's a hash of the bytes,
 *    send's the file's size and mtime; each server answers 304 to its own (the requests send each
 *    server the ETag it gave), so only the value differs.
 * 5. The original's process exits during the run (an uncaught error: a read stream that fails
 *    to open with no listener). A crash is no answer a client can rely on, and a fix may move the
 *    failure before the response begins, where the framework or the code answers it. From the
 *    first request the original did not answer whole (its client saw an error: the connection
 *    dropped or was reset, the HTTP/2 stream or session closed) or exited on, every request for
 *    that request's file is one the original failed: the fixed server may answer it as the
 *    original did, with a complete 5xx, or with no status where its own process exits during the
 *    run too — never with a 2xx, 3xx or 4xx. Requests before it are compared as above; requests
 *    for other files after it are not (the original was gone, or going: when exactly it exits
 *    after an answer is a matter of timing, so no rule may depend on it).
 * Node's `Keep-Alive: timeout=5` header is compared like any other.
 */
import type { Outcome } from './clients';

const IGNORED = new Set(['date']);

export interface Difference {
  request: string;
  what: string;
  original: unknown;
  fixed: unknown;
}

/** The differences between two runs of the same requests that the rules above do not allow. */
export function runDifferences(original: readonly Outcome[], fixed: readonly Outcome[], allow: { etagValue?: boolean } = {}): Difference[] {
  const getLengths = new Map<string, number>();
  for (const o of original) {
    if (o.request.startsWith('GET ') && !o.request.includes(' (') && o.status !== undefined && o.status < 300 && o.body) getLengths.set(o.request.slice(4), o.body.bytes);
  }
  const out: Difference[] = [];
  let headGainedLength = false;
  original.forEach((a, i) => {
    const b = fixed[i];
    if (!b) return void out.push({ request: a.request, what: 'answer', original: a, fixed: undefined });
    const found = differences(a, b, a.request.startsWith('HEAD ') ? getLengths.get(a.request.slice(5)) : undefined, allow);
    const allowed = found.filter((d) => !(d.what === 'connection reused' && headGainedLength && d.original === false && d.fixed === true));
    out.push(...allowed);
    headGainedLength = a.request.startsWith('HEAD ') && lacksLength(a) && b.headers?.['content-length'] !== undefined && !found.some((d) => d.what.startsWith('header content-length'));
  });
  return out;
}

function lacksLength(o: Outcome): boolean {
  return o.headers !== undefined && o.headers['content-length'] === undefined && o.headers['transfer-encoding'] === undefined;
}

/** One request's differences; `getLength` is the original's GET body length for a HEAD (rule 3). */
export function differences(original: Outcome, fixed: Outcome, getLength?: number, allow: { etagValue?: boolean } = {}): Difference[] {
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
  const head = original.request.startsWith('HEAD ');
  const fixedLength = b['content-length'] === undefined ? undefined : Number(b['content-length']);
  // (2) and (3): chunked, or no length, -> the Content-Length of the same body (for a HEAD, its GET's).
  const unknownLength = a['content-length'] === undefined && (a['transfer-encoding'] === 'chunked' || a['transfer-encoding'] === undefined);
  if (unknownLength && b['transfer-encoding'] === undefined && fixedLength !== undefined && fixedLength === (head ? getLength : original.body?.bytes)) {
    delete a['transfer-encoding'];
    delete b['content-length'];
  }
  // (4): two weak ETags, of different values.
  if (allow.etagValue && a.etag?.startsWith('W/"') && b.etag?.startsWith('W/"')) {
    delete a.etag;
    delete b.etag;
  }
  for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (a[name] !== b[name]) note(`header ${name}`, a[name], b[name]);
  }
  return out;
}

/** A run's answers, and whether and on which request (an index of `outcomes`) its process exited. */
export interface Answers {
  outcomes: readonly Outcome[];
  crashed?: string;
  crashedAt?: number;
}

/** The file a request asks for: `GET /a.txt (Range: …)` -> `/a.txt`; a socket request's label is its file. */
function fileOf(request: string): string {
  const words = request.split(' ');
  return words.length > 1 ? words[1]! : request;
}

/** A complete 5xx answer (rule 5). */
const serverError = (o: Outcome | undefined): boolean => o !== undefined && o.status !== undefined && o.status >= 500 && o.error === undefined;

/** The differences between two whole runs, exits included, that the rules above (with 5) do not allow. */
export function runAnswerDifferences(original: Answers, fixed: Answers, allow: { etagValue?: boolean } = {}): Difference[] {
  const failed = original.crashed === undefined ? -1 : original.outcomes.findIndex((o, i) => o.error !== undefined || i === original.crashedAt);
  if (failed < 0) {
    const out = runDifferences(original.outcomes, fixed.outcomes, allow);
    if (original.crashed !== fixed.crashed) out.push({ request: '(the process)', what: 'exit', original: original.crashed, fixed: fixed.crashed });
    return out;
  }
  const out = runDifferences(original.outcomes.slice(0, failed), fixed.outcomes.slice(0, failed), allow);
  const failure = original.outcomes[failed]!.request;
  fixed.outcomes.forEach((o, i) => {
    if (i < failed || fileOf(o.request) !== fileOf(failure)) return;
    const same = original.outcomes[i] !== undefined && differences(original.outcomes[i]!, o, undefined, allow).length === 0;
    const exitedToo = o.status === undefined && o.error !== undefined && fixed.crashed !== undefined;
    if (same || serverError(o) || exitedToo) return;
    out.push({ request: o.request, what: `answer where the original failed (from ${failure}, ${original.crashed}): a 5xx, or none and an exit`, original: original.outcomes[i], fixed: o });
  });
  return out;
}
