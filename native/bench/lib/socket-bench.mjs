// File -> loopback TCP -> C receiver: every sender, every size, rotated rounds.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildC } from './build-c.mjs';
import { freshFile, residency, warm } from './files.mjs';
import { freePort, runJson, startService } from './processes.mjs';
import { INTERVAL_NOTE, formatSize, markdownTable, median, ratioText } from './stats.mjs';

const senderScript = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'socket-sender.mjs');

export const C_SENDER = 'C sendfile(2)';
export const SOCKET_SENDERS = [C_SENDER, 'sendFile (fd)', 'sendFile (path)', 'pipeline', 'readFile + write', 'mapFile + write'];

/** Enough repetitions for a run of about `targetBytes`, bounded for small files. */
export function repeatFor(size, targetBytes) {
  return Math.max(2, Math.min(Math.ceil(targetBytes / size), 8192));
}

export function rotate(list, by) {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

/**
 * Runs every sender on every size for `rounds` rounds. Sender on core
 * `cores.sender`, receiver on `cores.receiver`. A sender is a strategy name of
 * socket-sender.mjs (or C_SENDER), or { label, strategy, env }. Returns one
 * record per run.
 */
export async function runSocketBench({ dir, sizes, rounds, senders = SOCKET_SENDERS, targetBytes = 512 << 20, cores = { sender: 0, receiver: 1 }, env = {}, log = () => {} }) {
  const receiverBin = buildC('receiver');
  const cSender = buildC('sendfile-sender');
  const receiver = await startService(cores.receiver, receiverBin, [String(await freePort())]);
  const records = [];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const size of sizes) {
        const file = freshFile(dir, size);
        for (const spec of rotate(senders, round)) {
          const { label: sender, strategy, env: senderEnv } = typeof spec === 'string' ? { label: spec, strategy: spec, env: {} } : spec;
          warm(file);
          const resident = residency(file);
          const repeat = repeatFor(size, targetBytes);
          const args = [String(receiver.port), file, String(repeat)];
          const run = strategy === C_SENDER ? runJson(cores.sender, cSender, args) : runJson(cores.sender, process.execPath, [senderScript, strategy, ...args], { env: { ...env, ...senderEnv } });
          if (!run.verified) throw new Error(`${sender} at ${formatSize(size)}: the receiver counted ${run.bytes} bytes`);
          const record = { round, size, sender, repeat, resident, gbps: run.bytes / run.seconds / 1e9, cpuPerGB: run.cpuSeconds / (run.bytes / 1e9), rssMiB: run.maxRssKiB / 1024, method: run.method };
          records.push(record);
          log(`round ${round + 1}/${rounds} ${formatSize(size).padStart(7)} ${sender.padEnd(18)} ${record.gbps.toFixed(2)} GB/s  ${record.cpuPerGB.toFixed(3)} CPU s/GB  ${record.rssMiB.toFixed(0)} MiB${resident < 0.999 ? `  (resident ${(resident * 100).toFixed(0)}%)` : ''}`);
        }
      }
    }
  } finally {
    await receiver.stop();
  }
  return records;
}

/** Per sender and size: medians over rounds, and ratios to the C sender of the same round. */
/** The sender whose goals are ratios to the other Node senders (BENCHMARKING.md: ahead of every pure-Node path). */
export const SUBJECT = 'sendFile (fd)';

/** Per round, `sender`'s throughput and CPU per GB at `size` over `baseline`'s in the same round. */
function sameRoundRatios(records, sender, size, baseline) {
  return records
    .filter((r) => r.sender === sender && r.size === size)
    .map((r) => {
      const b = records.find((x) => x.sender === baseline && x.size === size && x.round === r.round);
      return b ? { thr: r.gbps / b.gbps, cpu: r.cpuPerGB / b.cpuPerGB } : { thr: NaN, cpu: NaN };
    });
}

export function summarizeSocket(records) {
  const sizes = [...new Set(records.map((r) => r.size))];
  const senders = [...new Set(records.map((r) => r.sender))];
  const cell = (sender, size) => {
    const runs = records.filter((r) => r.sender === sender && r.size === size);
    const ratios = sameRoundRatios(records, sender, size, C_SENDER);
    return {
      gbps: median(runs.map((r) => r.gbps)),
      cpuPerGB: median(runs.map((r) => r.cpuPerGB)),
      rssMiB: median(runs.map((r) => r.rssMiB)),
      ratioText: ratioText(ratios.map((x) => x.thr)),
      cpuRatioText: ratioText(ratios.map((x) => x.cpu)),
      minResident: Math.min(...runs.map((r) => r.resident)),
      rounds: runs.length,
    };
  };
  const table = Object.fromEntries(senders.map((s) => [s, Object.fromEntries(sizes.map((z) => [z, cell(s, z)]))]));
  const others = senders.includes(SUBJECT) ? senders.filter((s) => s !== SUBJECT && s !== C_SENDER && !s.startsWith('sendFile')) : [];
  const versus = Object.fromEntries(
    others.map((s) => [s, Object.fromEntries(sizes.map((z) => {
      const ratios = sameRoundRatios(records, SUBJECT, z, s).map((x) => x.thr);
      return [z, ratioText(ratios)];
    }))]),
  );
  return { sizes, senders, table, versus };
}

export function formatSocketTables({ sizes, senders, table, versus }) {
  const header = ['sender', ...sizes.map(formatSize)];
  const throughput = markdownTable(
    header,
    senders.map((s) => [s, ...sizes.map((z) => (s === C_SENDER ? `**${table[s][z].gbps.toFixed(2)} GB/s**` : table[s][z].ratioText))]),
  );
  const cpu = markdownTable(
    header,
    senders.map((s) => [s, ...sizes.map((z) => (s === C_SENDER ? `**${table[s][z].cpuPerGB.toFixed(3)} s**` : `${table[s][z].cpuPerGB.toFixed(3)} s, ${table[s][z].cpuRatioText}`))]),
  );
  const rss = markdownTable(
    header,
    senders.map((s) => [s, ...sizes.map((z) => `${table[s][z].rssMiB.toFixed(0)}`)]),
  );
  const absolute = markdownTable(
    header,
    senders.map((s) => [s, ...sizes.map((z) => table[s][z].gbps.toFixed(2))]),
  );
  return [
    `Throughput, ratio to the C sendfile(2) sender of the same round (median, and ${INTERVAL_NOTE}); the C row is its median GB/s:`,
    '',
    throughput,
    '',
    'Throughput, median GB/s:',
    '',
    absolute,
    '',
    'CPU seconds per GB sent (user + sys of the sender process; median ratio to C of the same round, and its interval):',
    '',
    cpu,
    '',
    'Peak RSS of the sender process, MiB:',
    '',
    rss,
    ...(Object.keys(versus).length === 0
      ? []
      : [
          '',
          `${SUBJECT} over each pure-Node sender, throughput in the same round (median, and its interval):`,
          '',
          markdownTable(['versus', ...sizes.map(formatSize)], Object.entries(versus).map(([s, row]) => [s, ...sizes.map((z) => row[z])])),
        ]),
  ].join('\n');
}
