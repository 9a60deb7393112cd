// One benchmark run of a way to load a whole file into a Buffer, in its own
// process (pinned by the parent): loads FILE REPEAT times, one after another,
// touching one byte per 4 KiB page of each Buffer (what reading it costs the
// main thread in page faults) and yielding to the event loop after each, and prints one JSON line: wall time, CPU,
// peak RSS, and how long the event loop was held up meanwhile.
//
//   node map-reader.mjs STRATEGY FILE REPEAT
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { mapFile, mapFileAsync } = require('../dist/index.js');

const [strategy, file, repeatText] = process.argv.slice(2);
const repeat = Number(repeatText);
const WARMUP_MS = 300;

/** Each strategy loads the file once and returns the Buffer. */
const strategies = {
  'fs.promises.readFile': () => fs.promises.readFile(file),
  mapFileAsync: () => mapFileAsync(file),
  'mapFileAsync (populate: false)': () => mapFileAsync(file, { populate: false }),
  'mapFile (sync)': async () => mapFile(file),
};

function touch(buffer) {
  let sum = 0;
  for (let i = 0; i < buffer.length; i += 4096) sum += buffer[i];
  return sum;
}

/**
 * Each load is followed by a turn of the event loop, as each request of a
 * server is: timers run (so the delay monitor sees how long one load held the
 * loop, the synchronous mapFile included) and finalizers of collected
 * Buffers run (so mappings do not pile up).
 */
async function loadTimes(load, count) {
  let checksum = 0;
  for (let i = 0; i < count; i++) {
    checksum += touch(await load());
    await new Promise(setImmediate);
  }
  return checksum;
}

async function main() {
  const load = strategies[strategy];
  if (!load) throw new Error(`unknown strategy ${strategy}`);
  const size = fs.statSync(file).size;
  // Untimed warm-up in the same function as the timed loop, as socket-sender.mjs does.
  const warmupStart = Date.now();
  do await loadTimes(load, Math.min(repeat, 8));
  while (Date.now() - warmupStart < WARMUP_MS);
  // A timer that should fire every millisecond: how late it fires is how long the loop was held.
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  await loadTimes(load, repeat);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  delay.disable();
  process.stdout.write(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      maxRssKiB: process.resourceUsage().maxRSS,
      bytes: size * repeat,
      loopDelayP99Ms: delay.percentile(99) / 1e6,
      loopDelayMaxMs: delay.max / 1e6,
    }) + '\n',
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
