// One benchmark run of a Node sender, in its own process (pinned by the parent):
// sends FILE REPEAT times over one loopback TCP connection to the C receiver,
// ends its side, reads back the receiver's byte count and prints one JSON line.
//
//   node socket-sender.mjs STRATEGY PORT FILE REPEAT
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { pipeline } from 'node:stream/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { sendFile, mapFile, available } = require('../dist/index.js');

const [strategy, port, file, repeatText] = process.argv.slice(2);
const repeat = Number(repeatText);

async function write(socket, buffer) {
  if (!socket.write(buffer)) await once(socket, 'drain');
}

/** Each strategy sets up once and returns the closure that sends the file one time. */
const strategies = {
  // The C sender opens the file once; so does this one.
  // sendFile's own promise is awaited, as a server's handler does: no async wrapper adopting it.
  'sendFile (fd)': async () => {
    const fd = fs.openSync(file, 'r');
    return (socket) => sendFile(socket, fd);
  },
  'sendFile (path)': async () => (socket) => sendFile(socket, file),
  pipeline: async (socket) => {
    socket.setMaxListeners(0); // pipeline(..., { end: false }) leaves a 'close' listener per call
    return async (s) => {
      await pipeline(fs.createReadStream(file), s, { end: false });
      return { method: 'pipeline' };
    };
  },
  'readFile + write': async () => async (socket) => {
    await write(socket, await fs.promises.readFile(file));
    return { method: 'readFile' };
  },
  'mapFile + write': async () => async (socket) => {
    await write(socket, mapFile(file));
    return { method: available.mmap ? 'mmap' : 'copy' };
  },
};

async function main() {
  const socket = net.connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  const sendOnce = await strategies[strategy](socket);
  const reply = [];
  socket.on('data', (chunk) => reply.push(chunk));
  const replied = once(socket, 'end');
  // Warm-up, not timed: a server runs with its code optimized, not interpreted.
  const warmup = Math.min(repeat, Math.max(16, Math.floor((64 << 20) / fs.statSync(file).size)), 2048);
  for (let i = 0; i < warmup; i++) await sendOnce(socket);
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  let method;
  for (let i = 0; i < repeat; i++) method = (await sendOnce(socket)).method;
  socket.end();
  await replied;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const received = Buffer.concat(reply).readBigUInt64LE(0) - BigInt(fs.statSync(file).size) * BigInt(warmup);
  const expected = BigInt(fs.statSync(file).size) * BigInt(repeat);
  process.stdout.write(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      maxRssKiB: process.resourceUsage().maxRSS,
      bytes: Number(received),
      verified: received === expected,
      method,
    }) + '\n',
  );
  process.exit(received === expected ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
