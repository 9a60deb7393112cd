/**
 * The requests every server gets, the same for the original and the fixed copy: the files that
 * exist (large, small, empty, binary), a missing one, a folder, HEAD, byte ranges (from the
 * start, to the end, past the end), and the last request again after the error answers — all
 * on one keep-alive connection where the protocol has one.
 */
import type { HttpRequest, SocketRequest } from './clients';
import { UNREADABLE_FILE } from './fixtures';

export function httpRequests(prefix = '/'): HttpRequest[] {
  const at = (name: string) => `${prefix}${name}`;
  return [
    { path: at('big.bin') },
    { path: at('index.html') },
    { path: at('empty.txt') },
    { path: at('image.png') },
    { path: at('missing.txt') },
    { path: at('docs') },
    { method: 'HEAD', path: at('big.bin') },
    { method: 'HEAD', path: at('missing.txt') },
    { path: at('big.bin'), headers: { range: 'bytes=0-99' } },
    { path: at('big.bin'), headers: { range: 'bytes=299000-' } },
    { path: at('big.bin'), headers: { range: 'bytes=400000-' } },
    { path: at('index.html') },
    { path: at('big.bin') },
  ];
}

/** One connection per request: the file name on a line. */
export function lineRequests(): SocketRequest[] {
  return ['big.bin', 'index.html', 'empty.txt', 'missing.txt', 'docs'].map((name) => ({ send: `${name}\n`, label: name }));
}

/** Several requests on one connection, ended by QUIT. */
export function framedRequests(): SocketRequest[] {
  return [
    { send: 'big.bin\nindex.html\nmissing.txt\nempty.txt\ndocs\nbig.bin\nQUIT\n', label: 'six files on one connection' },
    { send: 'image.png\nQUIT\n', label: 'one file' },
  ];
}

/** Written where a request header takes the ETag of the answer before it (exercise.ts fills it in). */
export const PREVIOUS_ETAG = '{previous ETag}';

/**
 * The usual requests, then the conditional ones a cache or a download manager sends: the ETag it
 * was given (If-None-Match), any ETag, a date after the file's (If-Modified-Since), preconditions
 * that fail (If-Match, If-Unmodified-Since) and a range only if unchanged (If-Range).
 */
export function conditionalHttpRequests(prefix = '/'): HttpRequest[] {
  const at = (name: string) => `${prefix}${name}`;
  const future = new Date(Date.now() + 86_400_000).toUTCString();
  const past = 'Mon, 01 Jan 2001 00:00:00 GMT';
  return [
    ...httpRequests(prefix),
    { path: at('index.html') },
    { path: at('index.html'), headers: { 'if-none-match': PREVIOUS_ETAG } },
    { method: 'HEAD', path: at('index.html'), headers: { 'if-none-match': PREVIOUS_ETAG } },
    { path: at('image.png'), headers: { 'if-none-match': '*' } },
    { path: at('image.png'), headers: { 'if-none-match': 'W/"0-0"' } },
    { path: at('image.png'), headers: { 'if-modified-since': future } },
    { path: at('image.png'), headers: { 'if-match': '"nothing-matches"' } },
    { path: at('image.png'), headers: { 'if-unmodified-since': past } },
    { path: at('big.bin'), headers: { range: 'bytes=0-99', 'if-range': past } },
    { path: at('missing.txt'), headers: { 'if-none-match': '*' } },
    { path: at('docs'), headers: { 'if-match': '*' } },
  ];
}

/**
 * The requests of the unprivileged run: a readable file, the file its user may not read (GET and
 * HEAD, where the protocol has them), the readable file again — under the folder the case's own
 * requests use.
 */
export function unreadableRequests(protocol: string, requests: readonly (HttpRequest | SocketRequest)[]): HttpRequest[] | SocketRequest[] {
  if (protocol === 'net' || protocol === 'tls') return ['index.html', UNREADABLE_FILE, 'index.html'].map((name) => ({ send: `${name}\n`, label: name }));
  const first = requests.find((r): r is HttpRequest => 'path' in r)!;
  const at = (name: string) => first.path.slice(0, first.path.lastIndexOf('/') + 1) + name;
  return [{ path: at('index.html') }, { path: at(UNREADABLE_FILE) }, { method: 'HEAD', path: at(UNREADABLE_FILE) }, { path: at('index.html') }];
}
