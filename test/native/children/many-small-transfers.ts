// 100,000 small transfers over one persistent socket; reports descriptor
// counts and RSS after a warm-up and at the end, so the parent can check that
// neither grows.
import * as fs from 'node:fs';
import * as net from 'node:net';
import { sendFile } from 'zerocopy';

const [total, ...files] = [Number(process.argv[2]), ...process.argv.slice(3)];
const sizes = files.map((f) => fs.statSync(f).size);

function snapshot(): { fds: number; rssMiB: number } {
  (globalThis as { gc?: () => void }).gc?.();
  return { fds: fs.readdirSync('/proc/self/fd').length, rssMiB: process.memoryUsage().rss / 1048576 };
}

async function main(): Promise<void> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const sender = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await new Promise((resolve) => sender.once('connect', resolve));
  const receiver = await accepted;
  let received = 0;
  receiver.on('data', (d: Buffer) => (received += d.length));
  let expected = 0;
  let warm = snapshot();
  const methods: Record<string, number> = {};
  const started = Date.now();
  for (let i = 0; i < total; i++) {
    const which = i % files.length;
    const result = await sendFile(sender, files[which]);
    methods[result.method] = (methods[result.method] ?? 0) + 1;
    expected += sizes[which];
    if (i === 9_999) warm = snapshot();
  }
  const ms = Date.now() - started;
  const end = snapshot();
  const allReceived = new Promise((resolve) => receiver.once('end', resolve));
  sender.end();
  await allReceived;
  server.close();
  process.stdout.write(JSON.stringify({ warm, end, expected, received, methods, ms, listeners: sender.listenerCount('close') }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
