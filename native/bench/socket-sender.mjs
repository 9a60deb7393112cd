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
const WARMUP_MS = 500;

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

/** Sends the file `count` times; returns the method of the last one. */
async function sendTimes(socket, sendOnce, count) {
  let method;
  for (let i = 0; i < count; i++) method = (await sendOnce(socket)).method;
  return method;
}

async function main() {
  const socket = net.connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  const sendOnce = await strategies[strategy](socket);
  const reply = [];
  socket.on('data', (chunk) => reply.push(chunk));
  const replied = once(socket, 'end');
  // Warm-up, not timed: a server runs with its code optimized, not being compiled. The same
  // function runs the warm-up and the timed loop (a loop left for new code deoptimizes its
  // function, which V8 then compiled again while being timed), and the warm-up lasts at least
  // WARMUP_MS, by when V8's optimizing compiler had finished in every run traced with
  // --trace-opt. Compiling on the sender's pinned core inside the timed loop had cost
  // `sendFile (fd)` about 6 µs per 64 KiB call (median of 8 interleaved runs): a cost a running
  // server pays once, not per call. The C sender warms its connection up for as long.
  const size = fs.statSync(file).size;
  const minimum = Math.min(repeat, Math.max(16, Math.floor((64 << 20) / size)), 2048);
  const batch = Math.min(minimum, 256);
  const warmupStart = process.hrtime.bigint();
  let warmup = 0;
  while (warmup < minimum || Number(process.hrtime.bigint() - warmupStart) / 1e6 < WARMUP_MS) {
    await sendTimes(socket, sendOnce, batch);
    warmup += batch;
  }
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const method = await sendTimes(socket, sendOnce, repeat);
  socket.end();
  await replied;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const received = Buffer.concat(reply).readBigUInt64LE(0) - BigInt(size) * BigInt(warmup);
  const expected = BigInt(size) * BigInt(repeat);
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
