// sendFile to http.ServerResponse: headers first, exact bodies, keep-alive, HEAD, ranges, 404/416.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SMALL_HTTP_BODY_BYTES, sendFile, type SendResult } from 'zerocopy';
import { KiB, MiB, makeFile, makeTempDir, testNode, until } from './helpers';
import { request, startFileServer, type FileServer } from './http-helpers';
import { assertExercised, exercisePackage } from './runtimes';

const temp = makeTempDir();
const sizes = [0, 1, 4095, 4096, 65535, 65536, 300 * KiB, MiB + 3];
const files = Object.fromEntries(sizes.map((size) => [`f${size}`, makeFile(temp.dir, size)]));
let server: FileServer;
let agent: http.Agent;

before(async () => {
  server = await startFileServer(Object.fromEntries(Object.entries(files).map(([name, f]) => [name, f.path])));
  agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
});
after(async () => {
  agent.destroy();
  await server.close();
  temp.cleanup();
});

describe('sendFile to an http.ServerResponse', () => {
  test('100 keep-alive responses on one connection, each exact, each finished', async () => {
    const connectionsBefore = server.connections;
    const resultsBefore = server.results.length;
    const finishedBefore = server.finished;
    for (let i = 0; i < 100; i++) {
      const size = sizes[i % sizes.length];
      const reply = await request(agent, server.port, `/f${size}`);
      assert.equal(reply.status, 200);
      assert.equal(reply.headers['content-length'], String(size));
      assert.equal(reply.headers['transfer-encoding'], undefined, 'no chunked framing around the body');
      assert.equal(reply.headers.connection, 'keep-alive');
      assert.ok(reply.body.equals(files[`f${size}`].content), `body of /f${size}`);
      if (i > 0) assert.equal(reply.reusedSocket, true, `request ${i} reused the connection`);
    }
    // The server records a result when sendFile resolves, which may be just after the client read the body.
    await until(() => server.results.length - resultsBefore === 100 && server.finished - finishedBefore === 100, 5000, 'the server to record 100 results');
    assert.equal(server.connections - connectionsBefore, 1, 'one connection for all 100');
    assert.equal(server.finished - finishedBefore, 100, "every response emitted 'finish'");
    const methods = server.results.slice(resultsBefore).map((r) => (r instanceof Error ? r.message : r.method));
    const expected = Array.from({ length: 100 }, (_, i) => (sizes[i % sizes.length] <= SMALL_HTTP_BODY_BYTES ? 'copy' : 'sendfile'));
    assert.deepEqual(methods, expected);
  });

  test('thresholds set from the environment: bodies at or below them are read and written in one call ("copy"), exact, on sockets and in responses', async () => {
    const threshold = 64 * KiB;
    const env = { ZEROCOPY_SMALL_HTTP_BODY_BYTES: String(threshold), ZEROCOPY_SMALL_SOCKET_BYTES: String(threshold) };
    const exercised = await exercisePackage({ command: [...testNode(), '--expose-gc'], env }, temp.dir);
    // An empty file has nothing to read: it is answered without a copy.
    assertExercised(exercised, (length) => (length > 0 && length <= threshold ? 'copy' : 'sendfile'), true);
  });

  test('HEAD sends the headers with Content-Length and no body, and the connection carries on', async () => {
    const resultsBefore = server.results.length;
    const head = await request(agent, server.port, `/f${MiB + 3}`, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(MiB + 3));
    assert.equal(head.body.length, 0);
    await until(() => server.results.length > resultsBefore, 5000, 'the HEAD result');
    const last = server.results.at(-1);
    assert.ok(!(last instanceof Error) && last?.bytes === 0);
    const next = await request(agent, server.port, '/f65536');
    assert.equal(next.reusedSocket, true);
    assert.ok(next.body.equals(files.f65536.content));
  });

  test('204 and 304 send no body and no Content-Length, as Node does, and the next keep-alive response on the connection parses', async () => {
    const file = files[`f${MiB + 3}`];
    const results: (SendResult | Error)[] = [];
    const statuses = http.createServer(async (req, res) => {
      res.statusCode = Number(req.url?.slice(1)) || 200;
      results.push(await sendFile(res, file.path).catch((error: Error) => error));
    });
    await new Promise<void>((resolve) => statuses.listen(0, '127.0.0.1', resolve));
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const port = (statuses.address() as net.AddressInfo).port;
      for (const status of [204, 304]) {
        const empty = await request(keepAlive, port, `/${status}`);
        assert.equal(empty.status, status);
        assert.equal(empty.headers['content-length'], undefined, `${status}: no Content-Length`);
        assert.equal(empty.headers['transfer-encoding'], undefined);
        assert.equal(empty.body.length, 0);
        const next = await request(keepAlive, port, '/200');
        assert.equal(next.status, 200);
        assert.equal(next.reusedSocket, true, `the request after the ${status} reused the connection`);
        assert.ok(next.body.equals(file.content), `the body after the ${status}`);
      }
      await until(() => results.length === 4, 5000, 'four results');
      assert.deepEqual(
        results.map((r) => (r instanceof Error ? r.message : r.bytes)),
        [0, MiB + 3, 0, MiB + 3],
      );
    } finally {
      keepAlive.destroy();
      statuses.closeAllConnections();
      statuses.close();
    }
  });

  test('Transfer-Encoding set by the code is honoured: the body is chunked by Node, no Content-Length is added, keep-alive carries on; with a Content-Length too, sendFile refuses before anything is written', async () => {
    const file = files[`f${300 * KiB}`];
    const results: (SendResult | Error)[] = [];
    const framing = http.createServer(async (req, res) => {
      if (req.url !== '/plain') res.setHeader('Transfer-Encoding', 'chunked');
      if (req.url === '/both') res.setHeader('Content-Length', file.content.length);
      try {
        results.push(await sendFile(res, file.path));
      } catch (error) {
        results.push(error as Error);
        // Node frames nothing once both are removed by hand: a new length frames the error page.
        const code = (error as { code: string }).code;
        res.removeHeader('Transfer-Encoding');
        res.setHeader('Content-Length', Buffer.byteLength(code));
        res.statusCode = 500;
        res.end(code);
      }
    });
    await new Promise<void>((resolve) => framing.listen(0, '127.0.0.1', resolve));
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const port = (framing.address() as net.AddressInfo).port;
      const chunked = await request(keepAlive, port, '/chunked');
      assert.equal(chunked.status, 200);
      assert.equal(chunked.headers['transfer-encoding'], 'chunked');
      assert.equal(chunked.headers['content-length'], undefined);
      assert.ok(chunked.body.equals(file.content));
      const both = await request(keepAlive, port, '/both');
      assert.equal(both.status, 500);
      assert.equal(both.body.toString(), 'ERR_ZEROCOPY_CONFLICTING_FRAMING');
      assert.equal(both.reusedSocket, true);
      const plain = await request(keepAlive, port, '/plain');
      assert.equal(plain.reusedSocket, true);
      assert.equal(plain.headers['content-length'], String(file.content.length));
      assert.ok(plain.body.equals(file.content));
      await until(() => results.length === 3, 5000, 'three results');
      assert.deepEqual(results[0], { bytes: file.content.length, method: 'stream' });
      assert.equal((results[1] as { code?: string }).code, 'ERR_ZEROCOPY_CONFLICTING_FRAMING');
      assert.deepEqual(results[2], { bytes: file.content.length, method: 'sendfile' });
    } finally {
      keepAlive.destroy();
      framing.closeAllConnections();
      framing.close();
    }
  });

  test('a range answers 206 with exactly those bytes and the right Content-Length', async () => {
    const file = files[`f${MiB + 3}`].content;
    for (const [start, end] of [
      [0, 0],
      [100, 20_099],
      [MiB, MiB + 2],
      [12345, 999_999],
    ]) {
      const reply = await request(agent, server.port, `/f${MiB + 3}`, 'GET', { Range: `bytes=${start}-${end}` });
      assert.equal(reply.status, 206);
      assert.equal(reply.headers['content-length'], String(end - start + 1));
      assert.ok(reply.body.equals(file.subarray(start, end + 1)), `bytes ${start}-${end}`);
    }
  });

  test('a missing file becomes a 404 and an unsatisfiable range a 416, on the same connection', async () => {
    const missing = await request(agent, server.port, '/missing');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.toString(), 'ENOENT');
    const unsatisfiable = await request(agent, server.port, '/f4096', 'GET', { Range: 'bytes=5000-' });
    assert.equal(unsatisfiable.status, 416);
    // bytes=4096- names the byte after the last one: unsatisfiable too (RFC 9110 14.1.2).
    const atTheEnd = await request(agent, server.port, '/f4096', 'GET', { Range: 'bytes=4096-' });
    assert.equal(atTheEnd.status, 416);
    const emptyFile = await request(agent, server.port, '/f0', 'GET', { Range: 'bytes=0-' });
    assert.equal(emptyFile.status, 416);
    const ok = await request(agent, server.port, '/f4096');
    assert.equal(ok.reusedSocket, true);
    assert.ok(ok.body.equals(files.f4096.content));
  });

  test('pipelined requests on one socket each get their own exact response', async () => {
    const socket = net.connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const names = [`f${MiB + 3}`, 'f1', `f${300 * KiB}`];
    socket.write(names.map((n) => `GET /${n} HTTP/1.1\r\nHost: x\r\n\r\n`).join('') + 'GET /f0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await new Promise((resolve) => socket.once('end', resolve));
    socket.destroy();
    let rest = Buffer.concat(chunks);
    for (const name of [...names, 'f0']) {
      const headerEnd = rest.indexOf('\r\n\r\n');
      const head = rest.subarray(0, headerEnd).toString();
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1]);
      assert.match(head, /^HTTP\/1\.1 200 OK/);
      assert.ok(rest.subarray(headerEnd + 4, headerEnd + 4 + length).equals(files[name].content), name);
      rest = rest.subarray(headerEnd + 4 + length);
    }
    assert.equal(rest.length, 0);
  });

  test('a write queued on the socket before sendFile (a corked 103 Early Hints) arrives first, then the headers and the exact body', async () => {
    const file = files[`f${MiB + 3}`];
    const results: (SendResult | Error)[] = [];
    const hinting = http.createServer(async (_req, res) => {
      // Held in Node's queue, not yet in the kernel, when sendFile is called.
      res.socket?.cork();
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      process.nextTick(() => res.socket?.uncork());
      results.push(await sendFile(res, file.path).catch((error: Error) => error));
    });
    await new Promise<void>((resolve) => hinting.listen(0, '127.0.0.1', resolve));
    try {
      const socket = net.connect((hinting.address() as net.AddressInfo).port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      await new Promise((resolve) => socket.once('end', resolve));
      socket.destroy();
      const raw = Buffer.concat(chunks);
      const hintsEnd = raw.indexOf('\r\n\r\n') + 4;
      assert.match(raw.subarray(0, hintsEnd).toString(), /^HTTP\/1\.1 103 Early Hints\r\nLink: <\/style\.css>; rel=preload; as=style\r\n\r\n$/);
      const headEnd = raw.indexOf('\r\n\r\n', hintsEnd) + 4;
      const head = raw.subarray(hintsEnd, headEnd).toString();
      assert.match(head, /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(head, new RegExp(`\r\nContent-Length: ${MiB + 3}\r\n`, 'i'));
      assert.ok(raw.subarray(headEnd).equals(file.content), 'the body, exactly, after the headers');
      assert.deepEqual(results, [{ bytes: MiB + 3, method: 'sendfile' }]);
    } finally {
      hinting.close();
    }
  });

  test('a response with strictContentLength still completes (Node does not see the sendfile body)', async () => {
    const strict = http.createServer(async (_req, res) => {
      res.strictContentLength = true;
      await sendFile(res, files[`f${MiB + 3}`].path);
    });
    await new Promise<void>((resolve) => strict.listen(0, '127.0.0.1', resolve));
    try {
      const reply = await request(new http.Agent(), (strict.address() as net.AddressInfo).port, '/');
      assert.equal(reply.status, 200);
      assert.ok(reply.body.equals(files[`f${MiB + 3}`].content));
    } finally {
      strict.closeAllConnections();
      strict.close();
    }
  });

  test('a Content-Length that disagrees with the file is refused before anything is written', async () => {
    const mismatch = http.createServer(async (_req, res) => {
      res.setHeader('Content-Length', 5);
      try {
        await sendFile(res, files.f4096.path);
        res.end();
      } catch (error) {
        res.removeHeader('Content-Length');
        res.statusCode = 500;
        res.end((error as { code: string }).code);
      }
    });
    await new Promise<void>((resolve) => mismatch.listen(0, '127.0.0.1', resolve));
    try {
      const reply = await request(new http.Agent(), (mismatch.address() as net.AddressInfo).port, '/');
      assert.equal(reply.status, 500);
      assert.equal(reply.body.toString(), 'ERR_INVALID_ARG_VALUE');
    } finally {
      mismatch.closeAllConnections();
      mismatch.close();
    }
  });
});
