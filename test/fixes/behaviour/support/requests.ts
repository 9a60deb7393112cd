/**
 * The requests every server gets, the same for the original and the fixed copy: the files that
 * exist (large, small, empty, binary), a missing one, a folder, HEAD, byte ranges (from the
 * start, to the end, past the end), and the last request again after the error answers — all
 * on one keep-alive connection where the protocol has one.
 */
import type { HttpRequest, SocketRequest } from './clients';

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
