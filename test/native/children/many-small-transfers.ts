// 100,000 small transfers over one persistent socket; reports descriptor
// counts and RSS after a warm-up and at the end, so the parent can check that
// neither grows.
import * as fs from 'node:fs';
import { sendFile } from 'zerocopy';
import { socketPair } from '../helpers';

const [total, ...files] = [Number(process.argv[2]), ...process.argv.slice(3)];
const sizes = files.map((f) => fs.statSync(f).size);

function snapshot(): { fds: number; rssMiB: number } {
  (globalThis as { gc?: () => void }).gc?.();
  return { fds: fs.readdirSync('/proc/self/fd').length, rssMiB: process.memoryUsage().rss / 1048576 };
}

async function main(): Promise<void> {
  const { sender, receiver } = await socketPair();
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
  process.stdout.write(JSON.stringify({ warm, end, expected, received, methods, ms, listeners: sender.listenerCount('close') }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
