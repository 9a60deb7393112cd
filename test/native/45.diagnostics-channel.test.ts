// Which method each transfer used, seen from outside through node:diagnostics_channel, with the call unchanged.
import assert from 'node:assert/strict';
import * as diagnostics from 'node:diagnostics_channel';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import type * as net from 'node:net';
import { PassThrough } from 'node:stream';
import * as tls from 'node:tls';
import { after, describe, test } from 'node:test';
import { MAP_FILE_CHANNEL, SEND_FILE_CHANNEL, mapFile, sendFile, type MapFileMessage, type SendFileMessage } from 'zerocopy';
import { MiB, makeFile, makeLargeFile, makeTempDir, receiveAll, socketPair, stalledSocketPair, until } from './helpers';
import { request } from './http-helpers';
import { makeCertificate } from './tls-helpers';

const temp = makeTempDir();
after(() => temp.cleanup());
const file = makeFile(temp.dir, MiB + 5);

/** Subscribes to zerocopy:sendFile for the duration of `run`; returns every message seen (which `run` may watch). */
async function observe(run: (messages: readonly SendFileMessage[]) => Promise<void>): Promise<SendFileMessage[]> {
  const messages: SendFileMessage[] = [];
  const onMessage = (message: unknown): void => void messages.push(message as SendFileMessage);
  diagnostics.subscribe(SEND_FILE_CHANNEL, onMessage);
  try {
    await run(messages);
  } finally {
    diagnostics.unsubscribe(SEND_FILE_CHANNEL, onMessage);
  }
  return messages;
}

async function listening<S extends net.Server | http2.Http2Server>(server: S): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

describe('the zerocopy:sendFile diagnostics channel', () => {
  test('a plain TCP socket: one message, method "sendfile", the target and file as given', async () => {
    const pair = await socketPair();
    try {
      const received = receiveAll(pair.receiver, false);
      const messages = await observe(async () => {
        await sendFile(pair.sender, file.path);
      });
      pair.sender.end();
      assert.equal((await received).bytes, file.content.length);
      assert.equal(messages.length, 1);
      const [message] = messages;
      assert.equal(message.target, pair.sender);
      assert.deepEqual({ ...message, target: undefined }, { target: undefined, targetKind: 'socket', file: file.path, method: 'sendfile', bytes: file.content.length, failed: false, error: undefined });
    } finally {
      pair.close();
    }
  });

  test('an HTTP/1 response: method "sendfile", target the response', async () => {
    const responses: http.ServerResponse[] = [];
    const server = http.createServer((_req, res) => {
      responses.push(res);
      void sendFile(res, file.path);
    });
    const port = await listening(server);
    try {
      const messages = await observe(async () => {
        const reply = await request(new http.Agent(), port, '/');
        assert.ok(reply.body.equals(file.content));
        await until(() => responses[0]?.writableFinished === true, 5000, 'the response to finish');
      });
      assert.equal(messages.length, 1);
      assert.equal(messages[0].target, responses[0]);
      assert.deepEqual([messages[0].targetKind, messages[0].method, messages[0].bytes, messages[0].failed], ['http', 'sendfile', file.content.length, false]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('a TLS socket: method "stream"', async () => {
    const credentials = makeCertificate(temp.dir);
    const server = tls.createServer(credentials);
    const port = await listening(server);
    const accepted = new Promise<tls.TLSSocket>((resolve) => server.once('secureConnection', resolve));
    const client = tls.connect({ port, host: '127.0.0.1', ca: credentials.cert });
    try {
      const sender = await accepted;
      const received = receiveAll(client, false);
      const messages = await observe(async () => {
        await sendFile(sender, file.path);
      });
      sender.end();
      assert.equal((await received).bytes, file.content.length);
      assert.deepEqual(
        messages.map((m) => [m.target === sender, m.targetKind, m.method, m.bytes, m.failed]),
        [[true, 'socket', 'stream', file.content.length, false]],
      );
    } finally {
      client.destroy();
      server.close();
    }
  });

  test('an HTTP/2 stream and compat response: method "respondWithFD"', async () => {
    const server = http2.createServer();
    server.on('stream', (stream, headers) => {
      if (headers[':path'] === '/stream') void sendFile(stream, file.path);
    });
    server.on('request', (req, res) => {
      if (req.url === '/compat') void sendFile(res, file.path, { start: 5 });
    });
    const port = await listening(server);
    const client = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const messages = await observe(async (seen) => {
        for (const path of ['/stream', '/compat']) {
          const body = await new Promise<Buffer>((resolve, reject) => {
            const req = client.request({ ':path': path });
            const chunks: Buffer[] = [];
            req.on('data', (chunk: Buffer) => chunks.push(chunk));
            req.once('end', () => resolve(Buffer.concat(chunks)));
            req.once('error', reject);
            req.end();
          });
          assert.equal(body.length, path === '/stream' ? file.content.length : file.content.length - 5);
        }
        // sendFile resolves when the stream has closed, which may be just after the client read the end.
        await until(() => seen.length === 2, 5000, 'two messages');
      });
      assert.deepEqual(
        messages.map((m) => [m.targetKind, m.method, m.bytes, m.failed]),
        [
          ['http2', 'respondWithFD', file.content.length, false],
          ['http2', 'respondWithFD', file.content.length - 5, false],
        ],
      );
    } finally {
      client.close();
      server.close();
    }
  });

  test('any other Writable: method "stream", target kind "writable"', async () => {
    const through = new PassThrough();
    through.resume();
    const messages = await observe(async () => {
      await sendFile(through, file.path, { start: 0, end: 999 });
    });
    assert.deepEqual(
      messages.map((m) => [m.target === through, m.targetKind, m.method, m.bytes, m.failed]),
      [[true, 'writable', 'stream', 1000, false]],
    );
  });

  test('a file that cannot be opened: failed, no method, 0 bytes, the error sendFile rejected with', async () => {
    const pair = await socketPair();
    try {
      let rejected: unknown;
      const messages = await observe(async () => {
        rejected = await sendFile(pair.sender, `${temp.dir}/missing`).catch((error: unknown) => error);
      });
      assert.equal((rejected as { code?: string }).code, 'ENOENT');
      assert.equal(messages.length, 1);
      assert.deepEqual({ ...messages[0], target: undefined }, { target: undefined, targetKind: 'socket', file: `${temp.dir}/missing`, method: undefined, bytes: 0, failed: true, error: rejected });
    } finally {
      pair.close();
    }
  });

  test('a peer reset mid-transfer: failed, method "sendfile", the bytes that left before it', async () => {
    const large = makeLargeFile(temp.dir, 32 * MiB);
    const pair = await stalledSocketPair();
    pair.sender.on('error', () => {});
    let received = 0;
    pair.receiver.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > 2 * MiB && !pair.receiver.destroyed) pair.receiver.resetAndDestroy();
    });
    pair.receiver.resume();
    try {
      let rejected: unknown;
      const messages = await observe(async () => {
        rejected = await sendFile(pair.sender, large.path).catch((error: unknown) => error);
      });
      assert.ok(rejected instanceof Error);
      assert.equal(messages.length, 1);
      const [message] = messages;
      assert.deepEqual([message.method, message.failed, message.error], ['sendfile', true, rejected]);
      assert.ok(message.bytes >= received && message.bytes < 32 * MiB, `bytes ${message.bytes}, received ${received}`);
    } finally {
      pair.close();
    }
  });

  test('argument errors are not transfers, and nothing is published once the subscriber left', async () => {
    const pair = await socketPair();
    try {
      const messages = await observe(async () => {
        await assert.rejects(sendFile(pair.sender, file.path, { start: -1 }), { code: 'ERR_OUT_OF_RANGE' });
      });
      assert.deepEqual(messages, []);
      assert.equal(diagnostics.channel(SEND_FILE_CHANNEL).hasSubscribers, false);
      const late: unknown[] = [];
      const onMessage = (message: unknown): void => void late.push(message);
      diagnostics.subscribe(SEND_FILE_CHANNEL, onMessage);
      diagnostics.unsubscribe(SEND_FILE_CHANNEL, onMessage);
      await sendFile(pair.sender, file.path);
      assert.deepEqual(late, []);
    } finally {
      pair.close();
    }
  });
});

describe('the zerocopy:mapFile diagnostics channel', () => {
  test('a mapping and a failure, each one message', () => {
    const messages: MapFileMessage[] = [];
    const onMessage = (message: unknown): void => void messages.push(message as MapFileMessage);
    diagnostics.subscribe(MAP_FILE_CHANNEL, onMessage);
    let rejected: unknown;
    try {
      assert.ok(mapFile(file.path).equals(file.content));
      try {
        mapFile(`${temp.dir}/missing`);
      } catch (error) {
        rejected = error;
      }
    } finally {
      diagnostics.unsubscribe(MAP_FILE_CHANNEL, onMessage);
    }
    assert.equal((rejected as { code?: string }).code, 'ENOENT');
    assert.deepEqual(messages, [
      { file: file.path, method: 'mmap', bytes: file.content.length, async: false, failed: false, error: undefined },
      { file: `${temp.dir}/missing`, method: undefined, bytes: 0, async: false, failed: true, error: rejected },
    ]);
  });
});
