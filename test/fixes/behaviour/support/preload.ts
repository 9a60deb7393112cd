/**
 * Loaded with `--require` into every server the behaviour test runs (original and fixed), so the
 * test can see inside the child without changing the program:
 * - the port each server listens on (every Node server, express's, koa's and fastify's included,
 *   is a `net.Server`), sent to the test over the IPC channel;
 * - what each `sendFile`/`mapFile` call of the `zerocopy` runtime did, from its
 *   `diagnostics_channel`s, handed over when the test asks.
 *
 * The runtime publishes a call when it settles, which for an HTTP response is after 'finish' —
 * possibly after the client already has every byte. So the answer to the test waits until every
 * request (HTTP/1), stream (HTTP/2) or connection (net, tls) under way has closed, and then one
 * turn of the event loop, by which time the calls that served them have been published.
 */
import * as diagnosticsChannel from 'node:diagnostics_channel';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { CHANNELS, type ChildMessage, type TestMessage, type TransferReport } from './protocol';

const send = (message: ChildMessage) => process.send?.(message);
const transfers: TransferReport[] = [];
let underWay = 0;
let whenIdle: Array<() => void> = [];

function track(closable: { once(event: 'close', listener: () => void): unknown }): void {
  underWay++;
  closable.once('close', () => {
    underWay--;
    if (underWay > 0) return;
    const waiting = whenIdle;
    whenIdle = [];
    for (const resume of waiting) resume();
  });
}

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
  const isHttp2 = /^Http2(Secure)?Server$/.test(this.constructor.name);
  if (isHttp2) this.on('stream', track);
  else if (this instanceof http.Server || this instanceof https.Server) this.on('request', (_req: unknown, res: http.ServerResponse) => track(res));
  else this.on('addContext' in this ? 'secureConnection' : 'connection', track);
  this.once('listening', () => {
    const address = this.address();
    if (address && typeof address === 'object') send({ type: 'listening', port: address.port });
  });
  return listen.apply(this, args as Parameters<typeof listen>);
} as typeof listen;

diagnosticsChannel.subscribe(CHANNELS.sendFile, (message) => {
  const m = message as { method?: string; targetKind?: string; bytes: number; failed: boolean };
  transfers.push({ call: 'sendFile', method: m.method, targetKind: m.targetKind, bytes: m.bytes, failed: m.failed });
});
diagnosticsChannel.subscribe(CHANNELS.mapFile, (message) => {
  const m = message as { method?: string; bytes: number; failed: boolean };
  transfers.push({ call: 'mapFile', method: m.method, bytes: m.bytes, failed: m.failed });
});

process.on('message', (message: TestMessage) => {
  if (message.type !== 'reports') return;
  const answer = () => setImmediate(() => send({ type: 'reports', id: message.id, transfers: transfers.splice(0) }));
  if (underWay === 0) answer();
  else whenIdle.push(answer);
});
// The IPC channel must not keep a server alive once the test is gone.
process.channel?.unref();
