// The load client the addon carries for `zerocopy bench` (lib/http-load.ts): real servers on
// 127.0.0.1, each framing a response the ways HTTP/1.1 allows, and the ways a response goes wrong.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import { after, describe, test } from 'node:test';
import { abortHttpLoad, closeHttpLoad, httpLoad, httpLoadAvailable } from 'zerocopy/dist/http-load';

interface Served {
  port: number;
  /** Connections the server has accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

const servers: Served[] = [];
after(async () => {
  closeHttpLoad();
  await Promise.all(servers.map((s) => s.close()));
});

function listen(server: net.Server): Promise<Served> {
  let accepted = 0;
  server.on('connection', (socket: net.Socket) => {
    accepted++;
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const served: Served = {
        port: (server.address() as net.AddressInfo).port,
        connections: () => accepted,
        close: () =>
          new Promise((done) => {
            (server as http.Server).closeAllConnections?.();
            server.close(() => done());
          }),
      };
      servers.push(served);
      resolve(served);
    });
  });
}

const httpServer = (handler: http.RequestListener): Promise<Served> => listen(http.createServer({ keepAliveTimeout: 60_000 }, handler));
/** A server that answers each request on a connection with `answer(socket)`, for framings Node's http does not write. */
const rawServer = (answer: (socket: net.Socket) => void): Promise<Served> =>
  listen(
    net.createServer((socket) => {
      let head = '';
      socket.on('data', (chunk) => {
        head += chunk.toString('latin1');
        while (head.includes('\r\n\r\n')) {
          head = head.slice(head.indexOf('\r\n\r\n') + 4);
          answer(socket);
        }
      });
    }),
  );

describe("the addon's HTTP/1.1 load client (zerocopy bench)", () => {
  test('is available on this platform', () => {
    assert.equal(httpLoadAvailable(), process.platform !== 'win32');
  });

  test('Content-Length bodies over keep-alive connections, kept between runs', async () => {
    const body = randomBytes(300 * 1024 + 7);
    const server = await httpServer((req, res) => {
      assert.equal(req.url, '/file');
      res.setHeader('Content-Length', body.length);
      res.end(body);
    });
    const first = await httpLoad(server.port, '/file', 3, 4, 10_000);
    assert.equal(first.transfers.length, 12);
    for (const t of first.transfers) assert.deepEqual({ bytes: t.bytes, status: t.status }, { bytes: body.length, status: 200 });
    assert.ok(first.transfers.every((t) => t.ms > 0 && t.ms <= first.elapsedMs));
    const second = await httpLoad(server.port, '/file', 3, 2, 10_000);
    assert.equal(second.transfers.length, 6);
    assert.equal(server.connections(), 3, 'the second run reuses the three connections');
  });

  test('chunked bodies, with chunk extensions and trailers, counted without their framing', async () => {
    const parts = [randomBytes(70_000), randomBytes(1), randomBytes(200_000)];
    const node = await httpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      for (const p of parts) res.write(p);
      res.end();
    });
    const run = await httpLoad(node.port, '/file', 2, 3, 10_000);
    assert.deepEqual(
      run.transfers.map((t) => [t.bytes, t.status]),
      Array.from({ length: 6 }, () => [70_001 + 200_000, 200]),
    );
    assert.equal(node.connections(), 2);

    const raw = await rawServer((socket) => socket.write('HTTP/1.1 206 Partial Content\r\ntransfer-encoding: Chunked\r\n\r\n5;name=value\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n'));
    const trailed = await httpLoad(raw.port, '/file', 1, 3, 10_000);
    assert.deepEqual(trailed.transfers.map((t) => [t.bytes, t.status]), [[15, 206], [15, 206], [15, 206]]);
  });

  test('Connection: close, and a body that ends with the connection: a new connection per transfer', async () => {
    const closing = await httpServer((_req, res) => {
      res.writeHead(404, { 'Content-Length': 9, Connection: 'close' });
      res.end('not found');
    });
    const run = await httpLoad(closing.port, '/file', 1, 3, 10_000);
    assert.deepEqual(run.transfers.map((t) => [t.bytes, t.status]), [[9, 404], [9, 404], [9, 404]]);
    assert.equal(closing.connections(), 3);

    const untilClose = await rawServer((socket) => socket.end('HTTP/1.0 200 OK\r\n\r\n' + 'x'.repeat(100_000)));
    const read = await httpLoad(untilClose.port, '/file', 2, 2, 10_000);
    assert.deepEqual(read.transfers.map((t) => t.bytes), [100_000, 100_000, 100_000, 100_000]);
    assert.equal(untilClose.connections(), 4);
  });

  test('a response cut short, or framed wrong, fails the run with what happened', async () => {
    const cut = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n' + 'x'.repeat(10)));
    await assert.rejects(httpLoad(cut.port, '/file', 1, 1, 10_000), /the server closed the connection after 10 body bytes \(status 200\)/);
    const badChunk = await rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'));
    await assert.rejects(httpLoad(badChunk.port, '/file', 1, 1, 10_000), /bad chunk size 'zz'/);
    const refused = await rawServer(() => undefined);
    await refused.close();
    await assert.rejects(httpLoad(refused.port, '/file', 1, 1, 10_000), /connect to 127\.0\.0\.1:\d+: /);
  });

  test('a server that never answers: the run times out, or is aborted, and one run at a time', async () => {
    const silent = await rawServer(() => undefined);
    await assert.rejects(httpLoad(silent.port, '/file', 2, 1, 200), /a transfer took longer than 0\.2 s/);
    const running = httpLoad(silent.port, '/file', 1, 1, 60_000);
    await assert.rejects(httpLoad(silent.port, '/file', 1, 1, 1000), /a run is already in flight/);
    assert.equal(closeHttpLoad(), false, 'connections in use are not closed under the run');
    const started = Date.now();
    abortHttpLoad();
    await assert.rejects(running, /aborted/);
    assert.ok(Date.now() - started < 1000, `aborted after ${Date.now() - started} ms`);
    // The failed runs closed their connections: the next run opens new ones and works.
    const body = Buffer.alloc(1234, 1);
    const server = await httpServer((_req, res) => res.writeHead(200, { 'Content-Length': body.length }).end(body));
    assert.deepEqual((await httpLoad(server.port, '/file', 1, 2, 10_000)).transfers.map((t) => t.bytes), [1234, 1234]);
  });
});
