// Maps a file many times, drops the Buffers, and reports whether the mappings
// (lines of /proc/self/maps naming the file) go away after garbage collection.
import * as fs from 'node:fs';
import { mapFile, mapFileAsync } from 'zerocopy';

const file = process.argv[2];
const count = Number(process.argv[3]);
/** 'async': the mappings come from mapFileAsync. */
const viaAsync = process.argv[4] === 'async';

function mappingsOfFile(): number {
  return fs
    .readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((line) => line.endsWith(file)).length;
}

function rssMiB(): number {
  return Math.round(process.memoryUsage().rss / 1048576);
}

/**
 * `count` mappings of the file, each made resident. A function of its own, not inline in `main`:
 * an async function keeps its registers across `await`, and a register still holding the last
 * Buffer (interpreted code leaves dead ones in place) kept that mapping alive through every GC.
 * Async itself for mapFileAsync: its frame is gone once it returned, registers included.
 */
async function mapResident(count: number): Promise<Buffer[]> {
  const held: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const buffer = viaAsync ? await mapFileAsync(file) : mapFile(file);
    let sum = 0;
    for (let p = 0; p < buffer.length; p += 4096) sum += buffer[p];
    if (sum < 0) throw new Error('unreachable');
    held.push(buffer);
  }
  return held;
}

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const before = { mappings: mappingsOfFile(), rss: rssMiB() };
  let held = await mapResident(count);
  const whileHeld = { mappings: mappingsOfFile(), rss: rssMiB() };
  held = [];
  // Finalizers of external buffers run after the collection, on a later turn.
  const deadline = Date.now() + 20_000;
  while (mappingsOfFile() > before.mappings && Date.now() < deadline) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const afterGc = { mappings: mappingsOfFile(), rss: rssMiB() };
  process.stdout.write(JSON.stringify({ before, whileHeld, afterGc, heldCount: held.length }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
