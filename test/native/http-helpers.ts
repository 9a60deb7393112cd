// A real http.Server serving files with sendFile, and a keep-alive client.
import * as http from 'node:http';
import type * as net from 'node:net';
import { sendFile, type SendResult } from 'zerocopy';

export interface FileServer {
  port: number;
  /** What each sendFile call resolved to (or the error it rejected with), in order. */
  results: (SendResult | Error)[];
  /** Connections accepted so far. */
  connections: number;
  /** 'finish' events seen on responses. */
  finished: number;
  close(): Promise<void>;
}

/**
 * Serves `files[name]` at `/name`. A `Range: bytes=a-b` header becomes a 206;
 * a missing file a 404 and an unsatisfiable range a 416, both decided in the
 * error branch, after sendFile rejected and before anything was written.
 */
export async function startFileServer(files: Record<string, string>, createServer = http.createServer): Promise<FileServer> {
  const state: FileServer = { port: 0, results: [], connections: 0, finished: 0, close: async () => {} };
  const server = createServer(async (req, res) => {
    res.on('finish', () => state.finished++);
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const options = range ? { start: Number(range[1]), end: range[2] === '' ? undefined : Number(range[2]) } : {};
    if (range) {
      res.statusCode = 206;
      res.setHeader('Content-Range', `bytes ${range[1]}-${range[2]}/*`);
    }
    try {
      state.results.push(await sendFile(res, files[name] ?? `/nonexistent/${name}`, options));
    } catch (error) {
      state.results.push(error as Error);
      if (res.headersSent) return;
      const code = (error as { code?: string }).code;
      res.removeHeader('Content-Range');
      res.removeHeader('Content-Length');
      res.statusCode = code === 'ENOENT' ? 404 : code === 'ERR_ZEROCOPY_RANGE_NOT_SATISFIABLE' ? 416 : 500;
      res.end(code);
    }
  });
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as net.AddressInfo).port;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  reusedSocket: boolean;
}

export function request(agent: http.Agent, port: number, path: string, method = 'GET', headers: http.OutgoingHttpHeaders = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), reusedSocket: req.reusedSocket }));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end();
  });
}
