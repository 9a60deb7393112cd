// Where sendfile cannot apply, sendFile streams the same bytes and says so.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import * as tls from 'node:tls';
import { after, describe, test } from 'node:test';
import { sendFile } from 'zerocopy';
import { KiB, MiB, makeFile, makeTempDir, receiveAll, sha256, socketPair, until } from './helpers';
import { request, startFileServer } from './http-helpers';
import { makeCertificate } from './tls-helpers';

const temp = makeTempDir();
after(() => temp.cleanup());
const credentials = makeCertificate(temp.dir);
/** A file whose file system refuses sendfile(2) with EINVAL, present when the kernel keeps its config. */
const procFile = '/proc/config.gz';
const noProcFile = !fs.existsSync(procFile) && 'this kernel has no /proc/config.gz';

describe('fallbacks to streaming', () => {
  test('a TLS socket: bytes identical, ordering kept, method "stream"', async () => {
    const file = makeFile(temp.dir, 2 * MiB + 5);
    const server = tls.createServer(credentials);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<tls.TLSSocket>((resolve) => server.once('secureConnection', resolve));
    const client = tls.connect({ port: (server.address() as net.AddressInfo).port, host: '127.0.0.1', ca: credentials.cert });
    try {
      const sender = await accepted;
      const received = receiveAll(client, false);
      sender.write('before|');
      const result = await sendFile(sender, file.path, { start: 10 });
      sender.end('|after');
      assert.deepEqual(result, { bytes: file.content.length - 10, method: 'stream' });
      assert.equal((await received).sha256, sha256('before|', file.content.subarray(10), '|after'));
    } finally {
      client.destroy();
      server.close();
    }
  });

  test('an https response: exact bodies over keep-alive, method "stream"', async () => {
    const files = { a: makeFile(temp.dir, 700 * KiB), b: makeFile(temp.dir, 10) };
    const server = await startFileServer({ a: files.a.path, b: files.b.path }, ((handler: never) => https.createServer(credentials, handler)) as never);
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: credentials.cert });
    try {
      for (const name of ['a', 'b', 'a'] as const) {
        const reply = await new Promise<{ body: Buffer; length: string | undefined }>((resolve, reject) => {
          https
            .get({ host: '127.0.0.1', port: server.port, path: `/${name}`, agent }, (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.once('end', () => resolve({ body: Buffer.concat(chunks), length: res.headers['content-length'] }));
            })
            .once('error', reject);
        });
        assert.ok(reply.body.equals(files[name].content));
        assert.equal(reply.length, String(files[name].content.length));
      }
      await until(() => server.results.length === 3, 5000, 'three results');
      assert.deepEqual(server.results, [
        { bytes: files.a.content.length, method: 'stream' },
        { bytes: 10, method: 'stream' },
        { bytes: files.a.content.length, method: 'stream' },
      ]);
      assert.equal(server.connections, 1);
    } finally {
      agent.destroy();
      await server.close();
    }
  });

  test('a Writable that is not a socket (a file stream, a PassThrough), not ended afterwards', async () => {
    const file = makeFile(temp.dir, 1234 * KiB + 1);
    const copyPath = path.join(temp.dir, 'copy.bin');
    const out = fs.createWriteStream(copyPath);
    assert.deepEqual(await sendFile(out, file.path), { bytes: file.content.length, method: 'stream' });
    assert.equal(out.writableEnded, false);
    await new Promise((resolve) => out.end(resolve));
    assert.ok(fs.readFileSync(copyPath).equals(file.content));

    const through = new PassThrough({ highWaterMark: 1024 });
    const chunks: Buffer[] = [];
    through.on('data', (c: Buffer) => chunks.push(c));
    assert.deepEqual(await sendFile(through, file.path, { start: 5, end: 70_004 }), { bytes: 70_000, method: 'stream' });
    through.end();
    await new Promise((resolve) => through.once('end', resolve));
    assert.ok(Buffer.concat(chunks).equals(file.content.subarray(5, 70_005)));
  });

  test('a file whose file system refuses sendfile (EINVAL: /proc/config.gz) is streamed instead', { skip: noProcFile }, async () => {
    const expected = fs.readFileSync(procFile);
    assert.ok(expected.length > 0 && fs.statSync(procFile).size === expected.length);
    const pair = await socketPair();
    try {
      const received = receiveAll(pair.receiver);
      const result = await sendFile(pair.sender, procFile);
      pair.sender.end();
      assert.deepEqual(result, { bytes: expected.length, method: 'stream' });
      assert.ok((await received).content?.equals(expected));
    } finally {
      pair.close();
    }
  });

  test('an HTTP response whose file refuses sendfile after the headers went out (EINVAL: /proc/config.gz): the body is streamed, exact, and keep-alive carries on', { skip: noProcFile }, async () => {
    const expected = fs.readFileSync(procFile);
    const small = makeFile(temp.dir, 10 * KiB);
    const server = await startFileServer({ config: procFile, small: small.path });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await request(agent, server.port, '/config');
      assert.equal(refused.status, 200);
      assert.equal(refused.headers['content-length'], String(expected.length));
      assert.ok(refused.body.equals(expected));
      const next = await request(agent, server.port, '/small');
      assert.equal(next.reusedSocket, true);
      assert.ok(next.body.equals(small.content));
      await until(() => server.results.length === 2, 5000, 'two results');
      assert.deepEqual(server.results, [
        { bytes: expected.length, method: 'stream' },
        { bytes: small.content.length, method: 'sendfile' },
      ]);
    } finally {
      agent.destroy();
      await server.close();
    }
  });
});
