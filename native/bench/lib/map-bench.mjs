// Whole file -> Buffer: mapFileAsync against fs.promises.readFile (and the
// synchronous mapFile), every size, rotated rounds, each run a fresh process.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshFile, warm } from './files.mjs';
import { runJson } from './processes.mjs';
import { rotate } from './socket-bench.mjs';
import { INTERVAL_NOTE, formatSize, markdownTable, median, ratioText } from './stats.mjs';

const readerScript = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'map-reader.mjs');

export const MAP_BASELINE = 'fs.promises.readFile';
export const MAP_LOADERS = [MAP_BASELINE, 'mapFileAsync', 'mapFileAsync (populate: false)', 'mapFile (sync)'];
export const MAP_SIZES = [64 << 10, 1 << 20, 16 << 20, 256 << 20];

/** Loads enough for about `targetBytes` per run, at least 4 and at most 4096 loads. */
function repeatFor(size, targetBytes) {
  return Math.max(4, Math.min(Math.ceil(targetBytes / size), 4096));
}

/**
 * Runs every loader on every size for `rounds` rounds. The process may use
 * both cores (`cores`): what mapFileAsync moves off the main thread runs on
 * a thread-pool thread, which, pinned to the main thread's core, would only
 * take turns with it.
 */
export function runMapBench({ dir, rounds, sizes = MAP_SIZES, loaders = MAP_LOADERS, targetBytes = 1 << 30, cores = '0,1', log = () => {} }) {
  const records = [];
  for (let round = 0; round < rounds; round++) {
    for (const size of sizes) {
      const file = freshFile(dir, size);
      for (const loader of rotate(loaders, round)) {
        warm(file);
        const repeat = repeatFor(size, targetBytes);
        const run = runJson(cores, process.execPath, [readerScript, loader, file, String(repeat)]);
        const record = { round, size, loader, repeat, msPerLoad: (run.seconds * 1e3) / repeat, cpuMsPerLoad: (run.cpuSeconds * 1e3) / repeat, gbps: run.bytes / run.seconds / 1e9, rssMiB: run.maxRssKiB / 1024, loopDelayP99Ms: run.loopDelayP99Ms, loopDelayMaxMs: run.loopDelayMaxMs };
        records.push(record);
        log(`round ${round + 1}/${rounds} ${formatSize(size).padStart(7)} ${loader.padEnd(30)} ${record.msPerLoad.toFixed(3)} ms/load  ${record.gbps.toFixed(2)} GB/s  loop delay p99 ${record.loopDelayP99Ms.toFixed(2)} ms  ${record.rssMiB.toFixed(0)} MiB`);
      }
    }
  }
  return records;
}

export function formatMapTables(records) {
  const sizes = [...new Set(records.map((r) => r.size))];
  const loaders = [...new Set(records.map((r) => r.loader))];
  const runs = (loader, size) => records.filter((r) => r.loader === loader && r.size === size);
  const ratios = (loader, size) =>
    runs(loader, size).map((r) => {
      const base = records.find((b) => b.loader === MAP_BASELINE && b.size === size && b.round === r.round);
      return base ? base.msPerLoad / r.msPerLoad : NaN;
    });
  const header = ['loader', ...sizes.map(formatSize)];
  const cell = (loader, size, field, digits) => median(runs(loader, size).map((r) => r[field])).toFixed(digits);
  return [
    `Loads per second over ${MAP_BASELINE}'s in the same round (median, and ${INTERVAL_NOTE}); the ${MAP_BASELINE} row is its median time per load (open, read into a Buffer or map, touch one byte per page):`,
    '',
    markdownTable(header, loaders.map((l) => [l, ...sizes.map((z) => (l === MAP_BASELINE ? `**${cell(l, z, 'msPerLoad', 3)} ms**` : ratioText(ratios(l, z))))])),
    '',
    'CPU ms per load (user + sys, every thread of the process), median:',
    '',
    markdownTable(header, loaders.map((l) => [l, ...sizes.map((z) => cell(l, z, 'cpuMsPerLoad', 3))])),
    '',
    'Event-loop delay while loading, p99 / max ms (how long the main thread was held at a time), median over rounds:',
    '',
    markdownTable(header, loaders.map((l) => [l, ...sizes.map((z) => `${cell(l, z, 'loopDelayP99Ms', 2)} / ${cell(l, z, 'loopDelayMaxMs', 2)}`)])),
    '',
    'Peak RSS of the process, MiB:',
    '',
    markdownTable(header, loaders.map((l) => [l, ...sizes.map((z) => cell(l, z, 'rssMiB', 0))])),
  ].join('\n');
}
