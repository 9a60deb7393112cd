// sendFile to plain TCP and Unix domain sockets: byte-exact, ranges, ordering.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { sendFile } from 'zerocopy';
import { KiB, MiB, makeFile, makeLargeFile, makeTempDir, receiveAll, sha256, socketPair } from './helpers';

const temp = makeTempDir();
after(() => temp.cleanup());

describe('sendFile over loopback TCP', () => {
  for (const size of [0, 1, 4095, 4096, 65535, 65536, MiB]) {
    test(`${size} bytes arrive byte for byte, with sendfile`, async () => {
      const file = makeFile(temp.dir, size);
      const pair = await socketPair();
      try {
        const received = receiveAll(pair.receiver, false);
        const result = await sendFile(pair.sender, file.path);
        pair.sender.end();
        assert.deepEqual(result, { bytes: size, method: 'sendfile' });
        assert.deepEqual(await received, { bytes: size, sha256: sha256(file.content), content: undefined });
      } finally {
        pair.close();
      }
    });
  }

  test('100 MiB arrive byte for byte (hashed at both ends)', async () => {
    const file = makeLargeFile(temp.dir, 100 * MiB);
    const pair = await socketPair();
    try {
      const received = receiveAll(pair.receiver, false);
      const result = await sendFile(pair.sender, file.path);
      pair.sender.end();
      assert.deepEqual(result, { bytes: 100 * MiB, method: 'sendfile' });
      const got = await received;
      assert.equal(got.bytes, 100 * MiB);
      assert.equal(got.sha256, file.sha256);
    } finally {
      pair.close();
      fs.rmSync(file.path);
    }
  });

  test('ranges: end is inclusive and clamped to the file', async () => {
    const file = makeFile(temp.dir, 10_000);
    const cases: { options: { start?: number; end?: number }; expected: Buffer }[] = [
      { options: { start: 100 }, expected: file.content.subarray(100) },
      { options: { end: 99 }, expected: file.content.subarray(0, 100) },
      { options: { start: 4096, end: 8191 }, expected: file.content.subarray(4096, 8192) },
      { options: { start: 9999, end: 9999 }, expected: file.content.subarray(9999) },
      { options: { start: 5000, end: 1_000_000 }, expected: file.content.subarray(5000) },
      { options: { start: 9999 }, expected: file.content.subarray(9999) },
    ];
    for (const { options, expected } of cases) {
      const pair = await socketPair();
      try {
        const received = receiveAll(pair.receiver);
        const result = await sendFile(pair.sender, file.path, options);
        pair.sender.end();
        assert.equal(result.bytes, expected.length, JSON.stringify(options));
        assert.ok((await received).content?.equals(expected), JSON.stringify(options));
      } finally {
        pair.close();
      }
    }
  });

  test('a descriptor sends from the given start without moving its file position', async () => {
    const file = makeFile(temp.dir, 3 * KiB);
    const fd = fs.openSync(file.path, 'r');
    const pair = await socketPair();
    try {
      const received = receiveAll(pair.receiver);
      await sendFile(pair.sender, fd, { start: 1024 });
      pair.sender.end();
      assert.ok((await received).content?.equals(file.content.subarray(1024)));
      const first = Buffer.alloc(16);
      fs.readSync(fd, first, 0, 16, null); // reads at the descriptor's own position
      assert.ok(first.equals(file.content.subarray(0, 16)));
    } finally {
      fs.closeSync(fd);
      pair.close();
    }
  });

  test('bytes written before sendFile arrive first, bytes written after it resolved arrive after', async () => {
    const file = makeFile(temp.dir, 3 * MiB + 1);
    const pair = await socketPair();
    try {
      const received = receiveAll(pair.receiver, false);
      // Large enough that Node still holds most of it queued when sendFile starts.
      const before = Buffer.alloc(8 * MiB, 'b');
      pair.sender.write(before);
      assert.ok(pair.sender.writableLength > 0, 'the test needs queued bytes before sendFile');
      const result = await sendFile(pair.sender, file.path);
      const afterwards = Buffer.from('written after the promise resolved');
      pair.sender.end(afterwards);
      assert.equal(result.method, 'sendfile');
      assert.equal((await received).sha256, sha256(before, file.content, afterwards));
    } finally {
      pair.close();
    }
  });

  test('a write made while the file is on its way is held back until the file is through', async () => {
    const file = makeFile(temp.dir, 32 * MiB);
    const pair = await socketPair();
    const during = Buffer.from('written while the file was being sent');
    try {
      const hashed = receiveAll(pair.receiver, false);
      let seen = 0;
      pair.receiver.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        // The file's bytes are arriving, so the transfer is under way.
        if (seen > 0 && seen - chunk.length === 0) pair.sender.write(during);
      });
      const result = await sendFile(pair.sender, file.path);
      pair.sender.end();
      assert.equal(result.method, 'sendfile');
      assert.equal((await hashed).sha256, sha256(file.content, during));
    } finally {
      pair.close();
    }
  });

  test('concurrent sendFile calls on one socket are sent one after another, never interleaved', async () => {
    const files = [makeFile(temp.dir, 2 * MiB), makeFile(temp.dir, 5), makeFile(temp.dir, 700 * KiB)];
    const pair = await socketPair();
    try {
      const received = receiveAll(pair.receiver, false);
      const results = await Promise.all(files.map((f) => sendFile(pair.sender, f.path)));
      pair.sender.end();
      assert.deepEqual(
        results.map((r) => r.bytes),
        files.map((f) => f.content.length),
      );
      assert.equal((await received).sha256, sha256(...files.map((f) => f.content)));
    } finally {
      pair.close();
    }
  });

  test('a client socket that is still connecting is sent to once connected', async () => {
    const file = makeFile(temp.dir, 200 * KiB);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    assert.equal(client.connecting, true);
    const sending = sendFile(client, file.path);
    const peer = await accepted;
    try {
      const received = receiveAll(peer);
      assert.deepEqual(await sending, { bytes: file.content.length, method: 'sendfile' });
      client.end();
      assert.equal((await received).sha256, sha256(file.content));
    } finally {
      server.close();
      client.destroy();
      peer.destroy();
    }
  });
});

describe('sendFile over a Unix domain socket', () => {
  test('1 MiB and 4095 bytes arrive byte for byte, with sendfile', async () => {
    const files = [makeFile(temp.dir, MiB), makeFile(temp.dir, 4095)];
    const pair = await socketPair(path.join(temp.dir, 'unix.sock'));
    try {
      const received = receiveAll(pair.receiver, false);
      for (const file of files) assert.deepEqual(await sendFile(pair.sender, file.path), { bytes: file.content.length, method: 'sendfile' });
      pair.sender.end();
      assert.equal((await received).sha256, sha256(...files.map((f) => f.content)));
    } finally {
      pair.close();
    }
  });
});
