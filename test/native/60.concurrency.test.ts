// Many transfers at once: all progress without a thread-pool thread each, all exact.
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { sendFile } from 'zerocopy';
import { KiB, MiB, makeFile, makeTempDir, openDescriptorCount, receiveAll, sha256, socketPair, until } from './helpers';

const temp = makeTempDir();
after(() => temp.cleanup());

describe('concurrent transfers', () => {
  test('500 concurrent transfers over loopback TCP all arrive byte for byte', async () => {
    const files = [makeFile(temp.dir, 256 * KiB), makeFile(temp.dir, 64 * KiB + 1), makeFile(temp.dir, 700 * KiB)];
    const pairs = await Promise.all(Array.from({ length: 500 }, () => socketPair()));
    try {
      const received = pairs.map((pair) => receiveAll(pair.receiver, false));
      const results = await Promise.all(
        pairs.map(async (pair, i) => {
          const result = await sendFile(pair.sender, files[i % files.length].path);
          pair.sender.end();
          return result;
        }),
      );
      const hashes = await Promise.all(received);
      results.forEach((result, i) => {
        const expected = files[i % files.length].content;
        assert.deepEqual(result, { bytes: expected.length, method: 'sendfile' });
        assert.equal(hashes[i].sha256, sha256(expected), `transfer ${i}`);
      });
    } finally {
      for (const pair of pairs) pair.close();
    }
  });

  test('1,000 transfers blocked on full sockets leave the thread pool free, then all complete', async () => {
    const file = makeFile(temp.dir, MiB);
    const expected = sha256(file.content);
    const socketPath = path.join(temp.dir, 'many.sock');
    const accepted: net.Socket[] = [];
    const server = net.createServer({ pauseOnConnect: true }, (socket) => accepted.push(socket));
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    const senders: net.Socket[] = [];
    const baseline = openDescriptorCount();
    try {
      for (let i = 0; i < 1000; i++) {
        const sender = net.connect(socketPath);
        await new Promise((resolve) => sender.once('connect', resolve));
        senders.push(sender);
      }
      await until(() => accepted.length === 1000, 10_000, 'all connections accepted');
      let completed = 0;
      const transfers = senders.map((sender) => sendFile(sender, file.path).then((result) => (completed++, result)));
      // Each blocked transfer holds its file and one polled duplicate of its socket: 2,000 more descriptors.
      await until(() => openDescriptorCount() >= baseline + 2000 + 2000, 20_000, 'every transfer to be under way and blocked');
      assert.equal(completed, 0, 'no receiver reads, so no transfer can finish');
      // A thread-pool job still runs at once: no transfer holds a pool thread.
      const probe = await new Promise<Buffer>((resolve, reject) => crypto.pbkdf2('x', 'y', 1, 32, 'sha256', (e, key) => (e ? reject(e) : resolve(key))));
      assert.equal(probe.length, 32);
      assert.equal(await fs.promises.readFile(file.path).then((b) => b.length), MiB);
      assert.equal(completed, 0);
      const hashes = accepted.map((socket) => {
        const hash = crypto.createHash('sha256');
        let bytes = 0;
        socket.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          hash.update(chunk);
        });
        socket.resume();
        return new Promise<{ bytes: number; sha256: string }>((resolve) => socket.once('end', () => resolve({ bytes, sha256: hash.digest('hex') })));
      });
      const results = await Promise.all(transfers);
      for (const sender of senders) sender.end();
      const got = await Promise.all(hashes);
      assert.ok(results.every((r) => r.bytes === MiB && r.method === 'sendfile'));
      assert.ok(got.every((g) => g.bytes === MiB && g.sha256 === expected));
    } finally {
      for (const socket of [...senders, ...accepted]) socket.destroy();
      server.close();
    }
  });
});
