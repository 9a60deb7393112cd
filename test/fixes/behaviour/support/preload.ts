/**
 * Loaded with `--require` into every server the behaviour test runs (original and fixed), so the
 * test can see inside the child without changing the program:
 * - the port each server listens on (every Node server, express's, koa's and fastify's included,
 *   is a `net.Server`), sent to the test over the IPC channel;
 * - the method of each transfer the `zerocopy` runtime made, from its `diagnostics_channel`,
 *   kept here and handed over when the test asks (`{ type: 'reports' }`).
 */
import * as diagnosticsChannel from 'node:diagnostics_channel';
import * as net from 'node:net';
import { TRANSFER_CHANNEL, type ChildMessage, type TestMessage, type TransferReport } from './protocol';

const send = (message: ChildMessage) => process.send?.(message);
const transfers: TransferReport[] = [];

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
  this.once('listening', () => {
    const address = this.address();
    if (address && typeof address === 'object') send({ type: 'listening', port: address.port });
  });
  return listen.apply(this, args as Parameters<typeof listen>);
} as typeof listen;

diagnosticsChannel.subscribe(TRANSFER_CHANNEL, (message) => {
  const m = message as { method?: unknown; bytes?: unknown };
  transfers.push({ method: String(m.method), bytes: typeof m.bytes === 'number' ? m.bytes : -1 });
});

process.on('message', (message: TestMessage) => {
  // Answered after the transfers already under way have had a turn of the loop to report.
  if (message.type === 'reports') setImmediate(() => send({ type: 'reports', id: message.id, transfers: transfers.splice(0) }));
});
// The IPC channel must not keep a server alive once the test is gone.
process.channel?.unref();
