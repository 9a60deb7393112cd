/**
 * What a load client costs per transfer (not a test: figures for docs/bench.md and the README):
 * the CPU time of Node's HTTP/1.1 client (server/src/bench/children/http1-client.ts) and of the
 * addon's native one (zerocopy/dist/http-load.js) per keep-alive GET, in this process pinned to
 * core 1, against one `sendFile` server pinned to core 0; rotated, three rounds each.
 *
 *   npm run build && taskset -c 1 node out/test/benchmark/clientCost.js [SIZE_BYTES] [TRANSFERS]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpLoad } from 'zerocopy/dist/http-load';
import { Http1Connection } from '../../server/src/bench/children/http1-client';

const size = Number(process.argv[2] ?? 65536);
const transfers = Number(process.argv[3] ?? 5000);
const runtime = require.resolve('zerocopy');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'zc-client-cost-'));
  const file = join(dir, 'file');
  writeFileSync(file, randomBytes(size));
  const server = spawn('taskset', ['-c', '0', process.execPath, '-e', `
    const http = require('http'); const { sendFile } = require(${JSON.stringify(runtime)});
    http.createServer({ keepAliveTimeout: 60000 }, (q, s) => { s.setHeader('Content-Length', ${size}); sendFile(s, ${JSON.stringify(file)}).catch(() => s.destroy()); })
      .listen(0, '127.0.0.1', function () { console.log(this.address().port); });`], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve) => server.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
    const cpuMs = (): number => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const node = new Http1Connection(port);
    const runNode = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) await node.get(false);
    };
    const runNative = async (n: number): Promise<void> => void (await httpLoad(port, '/file', 1, n, 600_000));
    await runNode(500);
    await runNative(500);
    const per = async (run: (n: number) => Promise<void>): Promise<string> => {
      const c = cpuMs();
      const t = performance.now();
      await run(transfers);
      return `${(((cpuMs() - c) * 1000) / transfers).toFixed(1)} µs CPU, ${(((performance.now() - t) * 1000) / transfers).toFixed(0)} µs wall`;
    };
    process.stdout.write(`${size} B bodies, ${transfers} transfers a round, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
    for (let round = 0; round < 3; round++) {
      const first = round % 2 === 0;
      const a = await per(first ? runNode : runNative);
      const b = await per(first ? runNative : runNode);
      process.stdout.write(`round ${round + 1}: Node's client ${first ? a : b}; the addon's ${first ? b : a} per transfer\n`);
    }
    node.close();
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
