// Failures in the middle of a transfer: peer reset, abort, socket destroyed, file truncated.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import { after, describe, test } from 'node:test';
import { sendFile } from 'zerocopy';
import { MiB, makeLargeFile, makeTempDir, openDescriptorCount, runChild, stalledSocketPair, until } from './helpers';

const temp = makeTempDir();
after(() => temp.cleanup());
const large = makeLargeFile(temp.dir, 64 * MiB);

describe('failures in the middle of a transfer', () => {
  test('a peer that resets mid-transfer: Node-style error, socket destroyed, no descriptor left behind', async () => {
    const baseline = openDescriptorCount();
    const pair = await stalledSocketPair();
    pair.sender.on('error', () => {}); // the read side may see the reset too
    let received = 0;
    pair.receiver.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > 4 * MiB && !pair.receiver.destroyed) pair.receiver.resetAndDestroy();
    });
    pair.receiver.resume();
    const error = (await sendFile(pair.sender, large.path).then(
      () => assert.fail('sendFile resolved although the peer reset the connection'),
      (e: unknown) => e,
    )) as NodeJS.ErrnoException;
    assert.ok(error.code === 'ECONNRESET' || error.code === 'EPIPE', `code ${error.code}`);
    assert.equal(error.errno, -os.constants.errno[error.code as keyof typeof os.constants.errno]);
    assert.equal(error.syscall, 'sendfile');
    assert.equal(pair.sender.destroyed, true);
    pair.close();
    await until(() => openDescriptorCount() === baseline, 5000, 'descriptors to return to the baseline');
  });

  test('abort via signal stops promptly, rejects with AbortError and frees everything', async () => {
    const baseline = openDescriptorCount();
    const pair = await stalledSocketPair();
    const controller = new AbortController();
    const sending = sendFile(pair.sender, large.path, { signal: controller.signal });
    // Wait until the transfer is blocked on the full socket: the file and the polled duplicate are open.
    await until(() => openDescriptorCount() >= baseline + 4, 5000, 'the transfer to block');
    const abortedAt = process.hrtime.bigint();
    controller.abort(new Error('enough'));
    const error = (await sending.catch((e: unknown) => e)) as Error & { code?: string; cause?: Error };
    const elapsedMs = Number(process.hrtime.bigint() - abortedAt) / 1e6;
    assert.equal(error.name, 'AbortError');
    assert.equal(error.code, 'ABORT_ERR');
    assert.equal(error.cause?.message, 'enough');
    assert.ok(elapsedMs < 1000, `rejected ${elapsedMs} ms after abort`);
    assert.equal(pair.sender.destroyed, true, 'a partial body is not left on the socket');
    pair.close();
    await until(() => openDescriptorCount() === baseline, 5000, 'descriptors to return to the baseline');
  });

  test('the socket destroyed by JS mid-transfer stops it with ERR_STREAM_PREMATURE_CLOSE', async () => {
    const baseline = openDescriptorCount();
    const pair = await stalledSocketPair();
    const sending = sendFile(pair.sender, large.path);
    await until(() => openDescriptorCount() >= baseline + 4, 5000, 'the transfer to block');
    pair.sender.destroy();
    await assert.rejects(sending, { code: 'ERR_STREAM_PREMATURE_CLOSE' });
    // Our duplicate of the descriptor is closed too, so the peer sees the end of the stream.
    await new Promise((resolve) => {
      pair.receiver.on('end', resolve);
      pair.receiver.resume();
    });
    pair.close();
    await until(() => openDescriptorCount() === baseline, 5000, 'descriptors to return to the baseline');
  });

  test('an HTTP client that goes away mid-body: sendFile rejects, the server carries on, nothing leaks', async () => {
    const outcomes: unknown[] = [];
    const server = http.createServer(async (req, res) => {
      try {
        outcomes.push(await sendFile(res, large.path));
      } catch (error) {
        outcomes.push(error);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const baseline = openDescriptorCount();
    try {
      const client = net.connect(port, '127.0.0.1');
      client.write('GET /big HTTP/1.1\r\nHost: x\r\n\r\n');
      let received = 0;
      await new Promise<void>((resolve) =>
        client.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > 2 * MiB && !client.destroyed) {
            client.resetAndDestroy();
            resolve();
          }
        }),
      );
      await until(() => outcomes.length === 1, 10_000, 'the server-side sendFile to settle');
      const error = outcomes[0] as NodeJS.ErrnoException;
      assert.ok(error instanceof Error, 'sendFile must reject');
      assert.ok(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE'].includes(String(error.code)), String(error.code));
      // The server still answers.
      const reply = await new Promise<number>((resolve, reject) => http.get({ host: '127.0.0.1', port, path: '/again', agent: false }, (res) => (res.resume(), res.once('end', () => resolve(res.statusCode ?? 0)))).once('error', reject));
      assert.equal(reply, 200);
      await until(() => openDescriptorCount() <= baseline, 5000, 'descriptors to return to the baseline');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  for (const [mode, env] of [
    ['sendfile', {}],
    ['streaming', { ZEROCOPY_BINDING: 'none' }],
  ] as const) {
    test(`a file truncated during sendFile (${mode}) rejects with a short-read error, in a process that survives`, async () => {
      const file = makeLargeFile(temp.dir, 32 * MiB);
      const child = await runChild('truncate-during-send.js', [file.path, String(MiB)], env);
      assert.equal(child.signal, null, child.stderr);
      assert.equal(child.code, 0, child.stderr);
      const report = JSON.parse(child.stdout) as { rejected?: { code: string; bytes: number; expected: number }; received: number; sendfile: boolean; senderDestroyed: boolean };
      assert.equal(report.sendfile, mode === 'sendfile');
      assert.equal(report.rejected?.code, 'ERR_ZEROCOPY_SHORT_READ', child.stdout);
      assert.equal(report.rejected?.expected, 32 * MiB);
      assert.ok(report.rejected.bytes < 32 * MiB);
      assert.ok(report.received <= 32 * MiB);
      assert.equal(report.senderDestroyed, true);
    });
  }
});
