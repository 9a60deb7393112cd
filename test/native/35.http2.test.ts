// sendFile to HTTP/2 streams uses respondWithFD, for the stream API and the compatibility API.
import assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import type * as net from 'node:net';
import { after, describe, test } from 'node:test';
import { sendFile, type SendResult } from 'zerocopy';
import { KiB, MiB, makeFile, makeTempDir, until } from './helpers';

const temp = makeTempDir();
after(() => temp.cleanup());
const big = makeFile(temp.dir, MiB + 17);
const small = makeFile(temp.dir, 3 * KiB);

function get(client: http2.ClientHttp2Session, path: string, headers: http2.OutgoingHttpHeaders = {}): Promise<{ headers: http2.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = client.request({ ':path': path, ...headers });
    const chunks: Buffer[] = [];
    let responseHeaders: http2.IncomingHttpHeaders = {};
    req.on('response', (h) => (responseHeaders = h));
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve({ headers: responseHeaders, body: Buffer.concat(chunks) }));
    req.once('error', reject);
    req.end();
  });
}

async function withServer(server: http2.Http2Server, run: (client: http2.ClientHttp2Session) => Promise<void>): Promise<void> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = http2.connect(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
  try {
    await run(client);
  } finally {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('sendFile to HTTP/2', () => {
  test('a ServerHttp2Stream is answered with respondWithFD: exact body, Content-Length, ranges', async () => {
    const results: SendResult[] = [];
    const server = http2.createServer();
    server.on('stream', (stream, headers) => {
      const range = /^bytes=(\d+)-(\d+)$/.exec(String(headers.range ?? ''));
      const file = headers[':path'] === '/small' ? small.path : big.path;
      void sendFile(stream, file, range ? { start: Number(range[1]), end: Number(range[2]) } : {}).then((r) => results.push(r));
    });
    await withServer(server, async (client) => {
      const whole = await get(client, '/big');
      assert.equal(whole.headers[':status'], 200);
      assert.equal(whole.headers['content-length'], String(big.content.length));
      assert.ok(whole.body.equals(big.content));
      const part = await get(client, '/big', { range: 'bytes=1000-70999' });
      assert.ok(part.body.equals(big.content.subarray(1000, 71000)));
      assert.equal(part.headers['content-length'], '70000');
      const tiny = await get(client, '/small');
      assert.ok(tiny.body.equals(small.content));
      await until(() => results.length === 3, 5000, 'three results');
      assert.deepEqual(results, [
        { bytes: big.content.length, method: 'respondWithFD' },
        { bytes: 70000, method: 'respondWithFD' },
        { bytes: small.content.length, method: 'respondWithFD' },
      ]);
    });
  });

  test('an Http2ServerResponse keeps its status and headers', async () => {
    const server = http2.createServer(async (req, res) => {
      res.statusCode = 203;
      res.setHeader('x-served-by', 'zerocopy');
      await sendFile(res, big.path);
    });
    await withServer(server, async (client) => {
      const reply = await get(client, '/');
      assert.equal(reply.headers[':status'], 203);
      assert.equal(reply.headers['x-served-by'], 'zerocopy');
      assert.ok(reply.body.equals(big.content));
      const head = await get(client, '/', { ':method': 'HEAD' });
      assert.equal(head.headers['content-length'], String(big.content.length));
      assert.equal(head.body.length, 0);
    });
  });

  test('an Http2ServerResponse with status 204 or 304 is answered with its headers alone, no content-length', async () => {
    const results: (SendResult | Error)[] = [];
    const server = http2.createServer(async (req, res) => {
      res.statusCode = Number(req.url.slice(1));
      try {
        results.push(await sendFile(res, big.path));
      } catch (error) {
        results.push(error as Error);
        if (!res.headersSent) res.writeHead(500).end(String((error as { code?: string }).code));
      }
    });
    await withServer(server, async (client) => {
      for (const status of [204, 304]) {
        const reply = await get(client, `/${status}`);
        assert.equal(reply.headers[':status'], status);
        assert.equal(reply.headers['content-length'], undefined);
        assert.equal(reply.body.length, 0);
      }
      await until(() => results.length === 2, 5000, 'two results');
      assert.deepEqual(results, [
        { bytes: 0, method: 'respondWithFD' },
        { bytes: 0, method: 'respondWithFD' },
      ]);
    });
  });
});
