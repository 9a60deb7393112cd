/**
 * An HTTP/1.1 keep-alive client that reads bodies as fast as the socket gives them: one reused
 * read buffer per connection (`onread`), a small parser for the head, Content-Length and chunked
 * bodies, and hashing only when asked (the verification pass). A connection the server closes
 * (no keep-alive) is opened again for the next request.
 */
import { createHash, type Hash } from 'node:crypto';
import * as net from 'node:net';
import type { TransferResult } from './messages';

const READ_BUFFER = 1 << 20;
const HEAD_BYTES = 64;
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const REQUEST = (path: string): Buffer => Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n`, 'latin1');

interface Pending {
  resolve(result: TransferResult): void;
  reject(error: Error): void;
  started: bigint;
  verify: boolean;
}

type State = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailers' | 'until-close';

export class Http1Connection {
  private socket: net.Socket | undefined;
  private pending: Pending | undefined;
  private state: State = 'head';
  private head = '';
  private remaining = 0;
  private line = '';
  private status = 0;
  private bytes = 0;
  private hash: Hash | undefined;
  private first: Buffer[] = [];
  private firstBytes = 0;
  private keepAlive = true;
  private readonly buffer = Buffer.allocUnsafe(READ_BUFFER);

  constructor(
    private readonly port: number,
    private readonly path = '/file',
  ) {}

  get(verify: boolean): Promise<TransferResult> {
    return new Promise((resolve, reject) => {
      const socket = this.socket && !this.socket.destroyed && this.keepAlive ? this.socket : this.connect();
      this.pending = { resolve, reject, started: process.hrtime.bigint(), verify };
      this.state = 'head';
      this.head = '';
      this.bytes = 0;
      this.status = 0;
      this.hash = verify ? createHash('sha256') : undefined;
      this.first = [];
      this.firstBytes = 0;
      socket.write(REQUEST(this.path));
    });
  }

  /** Closes the connection; a transfer in flight fails with `reason`. */
  close(reason?: Error): void {
    if (reason && this.pending) return this.fail(reason);
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connect(): net.Socket {
    this.socket?.destroy();
    this.keepAlive = true;
    const socket = net.connect({
      port: this.port,
      host: '127.0.0.1',
      noDelay: true,
      onread: {
        buffer: this.buffer,
        callback: (n: number, buf: Uint8Array) => {
          this.onData(buf as Buffer, n);
          return true;
        },
      },
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      if (this.pending && this.state === 'until-close') this.done();
      else if (this.pending) this.fail(new Error(`the server closed the connection after ${this.bytes} body bytes (status ${this.status || 'none'})`));
    });
    this.socket = socket;
    return socket;
  }

  private fail(error: Error): void {
    const pending = this.pending;
    this.pending = undefined;
    this.socket?.destroy();
    this.socket = undefined;
    pending?.reject(error);
  }

  private done(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    const result: TransferResult = { ms: Number(process.hrtime.bigint() - pending.started) / 1e6, bytes: this.bytes, status: this.status };
    if (pending.verify) {
      result.sha256 = this.hash!.digest('hex');
      result.head = Buffer.concat(this.first).subarray(0, HEAD_BYTES).toString('base64');
    }
    if (!this.keepAlive) this.close();
    pending.resolve(result);
  }

  private body(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.hash) {
      this.hash.update(chunk);
      if (this.firstBytes < HEAD_BYTES) {
        this.first.push(Buffer.from(chunk.subarray(0, HEAD_BYTES - this.firstBytes)));
        this.firstBytes += Math.min(chunk.length, HEAD_BYTES);
      }
    }
  }

  private onData(buffer: Buffer, n: number): void {
    let at = 0;
    while (at < n && this.pending) {
      switch (this.state) {
        case 'head': {
          // Heads are small and nearly always come whole in the first read: search the bytes, not a string of them.
          const end = this.head === '' ? buffer.indexOf(HEAD_END, at) : -1;
          if (end >= 0 && end + 4 <= n) {
            this.head = buffer.toString('latin1', at, end);
            at = end + 4;
            this.startBody();
            break;
          }
          const text = this.head + buffer.toString('latin1', at, Math.min(n, at + 64 * 1024));
          const split = text.indexOf('\r\n\r\n');
          if (split < 0) {
            if (text.length >= 64 * 1024) return this.fail(new Error('response head over 64 KiB'));
            this.head = text;
            return;
          }
          at += split + 4 - this.head.length;
          this.head = text.slice(0, split);
          this.startBody();
          break;
        }
        case 'length': {
          const take = Math.min(this.remaining, n - at);
          this.body(buffer.subarray(at, at + take));
          at += take;
          this.remaining -= take;
          if (this.remaining === 0) this.done();
          break;
        }
        case 'until-close':
          this.body(buffer.subarray(at, n));
          at = n;
          break;
        case 'chunk-size':
        case 'chunk-crlf':
        case 'trailers': {
          const nl = buffer.indexOf(10, at);
          const upto = nl < 0 || nl >= n ? n : nl + 1;
          this.line += buffer.toString('latin1', at, upto);
          at = upto;
          if (!this.line.endsWith('\n')) break;
          const line = this.line.trim();
          this.line = '';
          if (this.state === 'chunk-size') {
            const size = parseInt(line.split(';')[0]!, 16);
            if (!Number.isFinite(size)) return this.fail(new Error(`bad chunk size '${line}'`));
            if (size === 0) this.state = 'trailers';
            else {
              this.remaining = size;
              this.state = 'chunk-data';
            }
          } else if (this.state === 'chunk-crlf') this.state = 'chunk-size';
          else if (line === '') this.done();
          break;
        }
        case 'chunk-data': {
          const take = Math.min(this.remaining, n - at);
          this.body(buffer.subarray(at, at + take));
          at += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = 'chunk-crlf';
          break;
        }
      }
    }
  }

  private startBody(): void {
    const lines = this.head.split('\r\n');
    this.status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
    let length: number | undefined;
    let chunked = false;
    this.keepAlive = !/^HTTP\/1\.0/.test(lines[0] ?? '');
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim().toLowerCase();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding' && value.includes('chunked')) chunked = true;
      else if (name === 'connection') this.keepAlive = value !== 'close';
    }
    if (chunked) this.state = 'chunk-size';
    else if (length !== undefined) {
      this.remaining = length;
      this.state = 'length';
      if (length === 0) this.done();
    } else {
      this.keepAlive = false;
      this.state = 'until-close';
    }
  }
}
