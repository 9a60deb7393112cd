/**
 * The inbox tells when every message the connection has received was dispatched: over a real
 * vscode-jsonrpc connection (in-process streams), a burst written in one chunk is dispatched one
 * message per turn of the event loop, and `drained()` resolves only after the last one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { Inbox } from '../../server/src/lsp/inbox';

function frames(count: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: 'edit', params: { i } }));
    out.push(Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body);
  }
  return Buffer.concat(out);
}

test('drained() resolves once every message of a burst was dispatched, not after the first', async () => {
  const input = new PassThrough();
  const inbox = new Inbox();
  const connection = createMessageConnection(new StreamMessageReader(input), new StreamMessageWriter(new PassThrough()), undefined, inbox.connectionOptions);
  const seen: number[] = [];
  let first!: () => void;
  const firstSeen = new Promise<void>((resolve) => (first = resolve));
  connection.onNotification('edit', (params: { i: number }) => {
    seen.push(params.i);
    first();
  });
  connection.listen();
  input.write(frames(300));
  await firstSeen;
  // The connection dispatches one message per turn: most of the burst is still queued here.
  assert.ok(seen.length < 300, `${seen.length} dispatched already`);
  await inbox.drained();
  assert.equal(seen.length, 300);
  connection.dispose();
});

test('drained() resolves when nothing was received', async () => {
  await new Inbox().drained();
});
