// HTTP keep-alive GET: Node servers (sendFile, pipe with and without a stat, readFile) and nginx, one
// server core; wrk for 64 KiB bodies, the C epoll client for 1 MiB bodies.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildC } from './build-c.mjs';
import { freshFile, warm } from './files.mjs';
import { startNginx } from './nginx.mjs';
import { pinned, runJson, startService } from './processes.mjs';
import { INTERVAL_NOTE, formatSize, markdownTable, median, ratioText } from './stats.mjs';
import { rotate } from './socket-bench.mjs';

const serverScript = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'http-server.mjs');

export const NGINX = 'nginx (sendfile on, tcp_nopush off)';
export const HTTP_SERVERS = ['sendFile', 'createReadStream().pipe(res)', 'createReadStream().pipe(res) (chunked)', 'readFile + res.end', NGINX];
export const HTTP_POINTS = [
  { size: 64 << 10, connections: 1, tool: 'wrk' },
  { size: 64 << 10, connections: 64, tool: 'wrk' },
  { size: 1 << 20, connections: 1, tool: 'http-load' },
  { size: 1 << 20, connections: 64, tool: 'http-load' },
];

function runWrk(core, port, urlPath, connections, seconds) {
  const [cmd, args] = pinned(core, 'wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, `http://127.0.0.1:${port}${urlPath}`]);
  const result = spawnSync(cmd, args, { encoding: 'utf8', timeout: (seconds + 30) * 1000 });
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(result.stdout);
  if (result.status !== 0 || !rps) throw new Error(`wrk failed: ${result.stdout}${result.stderr}`);
  const bad = /Non-2xx or 3xx responses: (\d+)/.exec(result.stdout);
  const errors = /Socket errors: (.*)/.exec(result.stdout);
  if (bad) throw new Error(`wrk saw ${bad[1]} non-2xx responses`);
  return { rps: Number(rps[1]), errors: errors ? errors[1] : '' };
}

async function startServer(strategy, core, root, prefix, env) {
  if (strategy === NGINX) return startNginx(core, prefix, root);
  return startService(core, process.execPath, [serverScript, strategy, root], { env });
}

/**
 * Runs every server at every point for `rounds` rounds; a server is a strategy
 * of http-server.mjs (or NGINX), or { label, strategy, env }. All servers run
 * at once (idle ones cost nothing) so that, point by point, they are measured
 * back to back in rotated order: on a shared machine, neighbours in time see
 * the same background load. Returns one record per measurement.
 */
export async function runHttpBench({ dir, rounds, seconds, servers = HTTP_SERVERS, points = HTTP_POINTS, cores = { server: 0, load: 1 }, env = {}, log = () => {} }) {
  const loader = buildC('http-load');
  const root = path.join(dir, 'www');
  fs.mkdirSync(root, { recursive: true });
  const files = Object.fromEntries([...new Set(points.map((p) => p.size))].map((size) => [size, freshFile(root, size, `body-${size}.bin`)]));
  const specs = servers.map((spec) => (typeof spec === 'string' ? { label: spec, strategy: spec, env: {} } : spec));
  const services = [];
  const records = [];
  try {
    for (const spec of specs) {
      const service = await startServer(spec.strategy, cores.server, root, path.join(dir, 'nginx'), { ...env, ...spec.env });
      services.push({ ...spec, port: service.port, stop: service.stop });
      // Warm-up, not measured: JIT and connection paths, for every body size (a 1 MiB body takes
      // code paths a 64 KiB one does not, which V8 would otherwise compile during a measurement).
      for (const file of Object.values(files)) runWrk(cores.load, service.port, `/${path.basename(file)}`, 8, 1);
    }
    for (let round = 0; round < rounds; round++) {
      points.forEach((point, index) => {
        const file = files[point.size];
        const urlPath = `/${path.basename(file)}`;
        for (const service of rotate(services, round + index)) {
          warm(file);
          let rps;
          if (point.tool === 'wrk') rps = runWrk(cores.load, service.port, urlPath, point.connections, seconds).rps;
          else {
            const run = runJson(cores.load, loader, [String(service.port), urlPath, String(point.connections), String(seconds), String(point.size)]);
            if (run.errors > 0) throw new Error(`${service.label}: ${run.errors} bad responses`);
            rps = run.requests / run.seconds;
          }
          const record = { round, server: service.label, ...point, rps, gbps: (rps * point.size) / 1e9 };
          records.push(record);
          log(`round ${round + 1}/${rounds} ${service.label.padEnd(36)} ${formatSize(point.size).padStart(7)} c=${String(point.connections).padEnd(3)} ${rps.toFixed(0).padStart(7)} req/s  ${record.gbps.toFixed(2)} GB/s`);
        }
      });
    }
  } finally {
    for (const service of services) await service.stop();
  }
  return records;
}

const pointName = (p) => `${formatSize(p.size)}, ${p.connections} conn.`;

export function formatHttpTables(records, points = HTTP_POINTS, baseline = NGINX) {
  const servers = [...new Set(records.map((r) => r.server))];
  const cell = (server, point) => records.filter((r) => r.server === server && r.size === point.size && r.connections === point.connections);
  const ratioTo = (server, point, baseline) =>
    cell(server, point).map((r) => {
      const b = records.find((x) => x.server === baseline && x.round === r.round && x.size === r.size && x.connections === r.connections);
      return b ? r.rps / b.rps : NaN;
    });
  const header = ['server', ...points.map(pointName)];
  const absolute = markdownTable(
    header,
    servers.map((s) => [s, ...points.map((p) => {
      const runs = cell(s, p);
      const rps = median(runs.map((r) => r.rps));
      return p.size >= 1 << 20 ? `${(median(runs.map((r) => r.gbps))).toFixed(2)} GB/s (${rps.toFixed(0)} req/s)` : `${rps.toFixed(0)} req/s`;
    })]),
  );
  const versusNginx = markdownTable(
    header,
    servers.filter((s) => s !== baseline).map((s) => [s, ...points.map((p) => {
      const ratios = ratioTo(s, p, baseline);
      return ratioText(ratios);
    })]),
  );
  return ['Requests per second (median over rounds; GB/s of bodies for 1 MiB):', '', absolute, '', `Ratio to ${baseline} in the same round (median, and ${INTERVAL_NOTE}):`, '', versusNginx].join('\n');
}
