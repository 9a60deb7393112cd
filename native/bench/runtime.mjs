#!/usr/bin/env node
// `npm run bench:runtime`: the zerocopy runtime benchmark. Prints Markdown
// tables (and saves the raw runs as JSON under .cache/native-bench/).
//
//   node native/bench/runtime.mjs [--rounds N] [--http-rounds N] [--seconds S]
//                                 [--only socket|http|map] [--quick] [--crossover]
//                                 [--sizes 64K,1M,...] [--senders 'sendFile (fd),pipeline']
//                                 [--points 1M/1,64K/64] [--servers sendFile]
// (--sizes/--senders and --points/--servers re-run chosen cells; the C sender
// and nginx, the baselines, always run.)
//
// Method (BENCHMARKING.md): sender and receiver pinned to different cores; a C
// receiver that discards and reports the byte count; a C sendfile(2) sender as
// the floor, measured in every round; senders rotated round after round;
// medians and ratios to C from the same round; files rewritten before each
// block and read before each run so they are in the page cache.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dataDir } from './lib/files.mjs';
import { HTTP_POINTS, HTTP_SERVERS, NGINX, formatHttpTables, runHttpBench } from './lib/http-bench.mjs';
import { nginxAvailable } from './lib/nginx.mjs';
import { MAP_SIZES, formatMapTables, runMapBench } from './lib/map-bench.mjs';
import { C_SENDER, SOCKET_SENDERS, formatSocketTables, runSocketBench, summarizeSocket } from './lib/socket-bench.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, '..', '..');
const MiB = 1 << 20;

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    'http-rounds': { type: 'string', default: '5' },
    seconds: { type: 'string', default: '2' },
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    crossover: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    senders: { type: 'string' },
    points: { type: 'string' },
    servers: { type: 'string' },
  },
});

function ensureTools() {
  const missing = ['taskset', 'wrk', 'nginx', 'cc', 'fincore'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length > 0) {
    console.error(`bench: missing ${missing.join(', ')}; running native/bench/setup.sh`);
    const setup = spawnSync('bash', [path.join(benchDir, 'setup.sh')], { stdio: 'inherit' });
    if (setup.status !== 0) throw new Error('native/bench/setup.sh failed');
  }
  if (!nginxAvailable()) throw new Error('nginx is not installed');
  const availability = JSON.parse(spawnSync(process.execPath, ['-p', `JSON.stringify(require(${JSON.stringify(path.join(benchDir, '..', 'dist', 'index.js'))}).available)`], { encoding: 'utf8' }).stdout);
  if (!availability.loaded) throw new Error(`the zerocopy addon did not load (${availability.reason}); run npm run build:native`);
  return availability;
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}, Node ${process.version}`;
}

const log = (line) => process.stderr.write(`${line}\n`);

/** "64K", "1M", "1G" or a byte count. */
function parseSize(text) {
  const match = /^(\d+)([KMG]?)$/i.exec(text.trim());
  if (!match) throw new Error(`bad size ${text}`);
  return Number(match[1]) * { '': 1, K: 1 << 10, M: 1 << 20, G: 1 << 30 }[match[2].toUpperCase()];
}

/** "1M/64": a body size and a number of connections (wrk below 1 MiB, the C client from 1 MiB). */
function parsePoint(text) {
  const [size, connections] = text.split('/');
  if (!/^\d+$/.test(connections ?? '')) throw new Error(`bad point ${text}: SIZE/CONNECTIONS`);
  const bytes = parseSize(size);
  return { size: bytes, connections: Number(connections), tool: bytes >= MiB ? 'http-load' : 'wrk' };
}

/** The chosen entries of a comma-separated list, with the baseline first. */
function chosen(list, baseline) {
  return [baseline, ...list.split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== baseline)];
}

async function crossover(dir, rounds, seconds) {
  const always = '1000000000000000';
  const socketRecords = await runSocketBench({
    dir,
    rounds,
    sizes: [4 << 10, 16 << 10, 64 << 10, 256 << 10],
    targetBytes: 256 * MiB,
    senders: [C_SENDER, { label: 'sendfile always', strategy: 'sendFile (fd)', env: { ZEROCOPY_SMALL_SOCKET_BYTES: '0' } }, { label: 'read + write always', strategy: 'sendFile (fd)', env: { ZEROCOPY_SMALL_SOCKET_BYTES: always } }],
    log,
  });
  const points = [1 << 10, 4 << 10, 16 << 10, 32 << 10, 64 << 10].flatMap((size) => [1, 64].map((connections) => ({ size, connections, tool: 'wrk' })));
  const httpRecords = await runHttpBench({
    dir,
    rounds,
    seconds,
    points,
    servers: [
      { label: 'sendfile after the headers', strategy: 'sendFile', env: { ZEROCOPY_SMALL_HTTP_BODY_BYTES: '0' } },
      { label: 'headers + body in one write', strategy: 'sendFile', env: { ZEROCOPY_SMALL_HTTP_BODY_BYTES: always } },
    ],
    log,
  });
  return [
    '### Small-file crossover: plain socket',
    '',
    formatSocketTables(summarizeSocket(socketRecords)),
    '',
    '### Small-file crossover: HTTP/1 response',
    '',
    formatHttpTables(httpRecords, points, 'headers + body in one write'),
  ].join('\n');
}

async function main() {
  const availability = ensureTools();
  const dir = dataDir(repoRoot);
  const rounds = flags.quick ? 1 : Number(flags.rounds);
  const httpRounds = flags.quick ? 1 : Number(flags['http-rounds']);
  const seconds = flags.quick ? 2 : Number(flags.seconds);
  const started = new Date();
  const header = [
    `## zerocopy runtime benchmark, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${machine()}. Addon: ${path.relative(repoRoot, availability.path)}.`,
    `Command: \`npm run bench:runtime${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).map((a) => (/[\s()']/.test(a) ? `'${a}'` : a)).join(' ') : ''}\`. Load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}.`,
    '',
  ];
  process.stdout.write(header.join('\n') + '\n');
  const sections = [];
  const raw = { started: started.toISOString(), machine: machine() };
  if (flags.crossover) {
    sections.push(await crossover(dir, rounds, seconds));
  } else {
    const runs = (part) => flags.only === undefined || flags.only === part;
    if (runs('socket')) {
      const sizes = flags.sizes ? flags.sizes.split(',').map(parseSize) : flags.quick ? [64 << 10, MiB, 16 * MiB] : [64 << 10, MiB, 16 * MiB, 256 * MiB, 1024 * MiB];
      const senders = flags.senders ? chosen(flags.senders, C_SENDER) : SOCKET_SENDERS;
      raw.socket = await runSocketBench({ dir, sizes, rounds, senders, log });
      const summary = summarizeSocket(raw.socket);
      sections.push(`### File → loopback TCP → C receiver (${rounds} rounds)\n\n${formatSocketTables(summary)}`);
      const residentMin = Math.min(...raw.socket.map((r) => r.resident));
      sections.push(`Page cache: the least resident file at the start of a run was ${Number.isFinite(residentMin) ? (residentMin * 100).toFixed(0) + '%' : 'unknown (no fincore)'} resident.`);
    }
    if (runs('http')) {
      const points = flags.points ? flags.points.split(',').map(parsePoint) : HTTP_POINTS;
      const servers = flags.servers ? chosen(flags.servers, NGINX) : HTTP_SERVERS;
      raw.http = await runHttpBench({ dir, rounds: httpRounds, seconds, points, servers, log });
      sections.push(`### HTTP keep-alive GET, one server core (${httpRounds} rounds of ${seconds} s; wrk below 1 MiB, the C epoll client from 1 MiB)\n\n${formatHttpTables(raw.http, points)}`);
    }
    if (runs('map')) {
      const sizes = flags.sizes && flags.only === 'map' ? flags.sizes.split(',').map(parseSize) : flags.quick ? MAP_SIZES.slice(0, 3) : MAP_SIZES;
      raw.map = runMapBench({ dir, rounds, sizes, log });
      sections.push(`### Whole file → Buffer: mapFileAsync against fs.promises.readFile (${rounds} rounds, both cores)\n\n${formatMapTables(raw.map)}`);
    }
  }
  sections.push(`Load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} (other work on the machine makes figures noisy).`);
  process.stdout.write(sections.join('\n\n') + '\n');
  const out = path.join(dir, `results-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(out, JSON.stringify(raw, null, 2));
  log(`raw runs saved to ${path.relative(repoRoot, out)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
