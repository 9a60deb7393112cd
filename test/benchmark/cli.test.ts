/**
 * `zerocopy bench` as a user runs it (dist/cli.js in a child process): the example's
 * `createReadStream().pipe(res)` finding benchmarked with a small sweep — JSON and table, bytes
 * verified, never a timing asserted — a finding that cannot run (exit 1, with why), usage errors
 * (exit 2), and a cancel that leaves no process and no file behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchReport } from '../../server/src/protocol/benchReport';
import { CLI } from '../lsp/support/lspClient';
import { tempProject } from '../lsp/support/tempProject';
import { assertReportShape, processesMentioning } from './support/report';

const REPO = join(__dirname, '../../..');
const PIPE_FINDING = 'examples/media-server/src/lib/media-store.js:25';

function zerocopy(args: string[], cwd = REPO) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the example’s createReadStream().pipe(res): measured against the references, the JSON in the documented shape', { timeout: 240_000 }, (t) => {
  const out = tempProject();
  t.after(() => out.remove());
  const json = out.path('report.json');
  const r = zerocopy(['bench', PIPE_FINDING, '--sizes', '64K,1M', '--concurrency', '1,2', '--time-budget', '4', '--json', json]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /zerocopy bench: finding the transfer at examples\/media-server\/src\/lib\/media-store\.js:25/);
  assert.match(r.stderr, /checking the bytes as written sends/);

  const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
  assertReportShape(report, [64 << 10, 1 << 20], [1, 2]);
  assert.deepEqual(report.finding, { file: 'examples/media-server/src/lib/media-store.js', line: 25, column: 10, rule: 'stream-to-socket', recommendation: 'sendfile' });
  assert.equal(report.environment.sink, 'http server + client on 127.0.0.1');
  // Timed by the addon's native client (a Node client's cost per request would shrink the ratios).
  assert.match(report.environment.loadClient ?? '', /^the zerocopy addon's HTTP\/1\.1 client/);
  const asWritten = report.variants[0]!;
  assert.equal(asWritten.wrong, undefined);
  assert.match(asWritten.code, /openMedia\(name\)\.pipe\(res\)/);
  assert.deepEqual(asWritten.bound.map((b) => b.name), ['mediaPath(name)', 'req', 'res']);
  // The other routes of server.js are listed, each with its line and why it was left out.
  assert.deepEqual(asWritten.dropped.map((d) => `${d.file}:${d.line}`), [34, 35, 36, 37, 47].map((l) => `examples/media-server/src/server.js:${l}`));
  assert.ok(report.notes.some((n) => n.includes("pathname.startsWith('/media/')")));
  for (const v of report.variants) assert.equal(v.wrong, undefined, `${v.name} sends the file's bytes`);
  // Which method the runtime used, per point: sendfile(2) for the sendFile reference over plain TCP.
  const sendFile = report.variants.find((v) => v.name === 'sendFile')!;
  for (const p of sendFile.points.filter((x) => x.rounds > 0)) assert.ok((p.runtimeMethods?.sendfile ?? 0) > 0, JSON.stringify(p.runtimeMethods));
  assert.equal(report.variants[0]!.points.some((p) => p.runtimeMethods), false, 'the code as written does not call the runtime');

  // The same run's table on stdout.
  assert.match(r.stdout, /^Benchmark of examples\/media-server\/src\/lib\/media-store\.js:25:10 \(stream-to-socket, recommends sendfile\)/);
  assert.match(r.stdout, /64 KiB, 1 connection at once, warm page cache/);
  for (const name of ['as written', 'sendFile', 'pipeline(createReadStream)', 'mapFile + write', 'readFile + write']) assert.ok(r.stdout.includes(`  ${name}`), name);
  assert.match(r.stdout, /dropped: examples\/media-server\/src\/server\.js:34 {2}if \(pathname === '\/robots\.txt'\)/);
  assert.match(r.stdout, /^Load client: the zerocopy addon's HTTP\/1\.1 client/m);
});

test('with ZEROCOPY_BENCH_LOAD_CLIENT=node (as where the addon has no client), Node’s client times the rounds, and says so', { timeout: 180_000 }, () => {
  const r = spawnSync(process.execPath, [CLI, 'bench', PIPE_FINDING, '--sizes', '64K', '--concurrency', '1,2', '--time-budget', '2', '--json'], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, ZEROCOPY_BENCH_LOAD_CLIENT: 'node' },
  });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as BenchReport;
  assertReportShape(report, [64 << 10], [1, 2]);
  assert.equal(report.environment.loadClient, "Node's raw keep-alive sockets (ZEROCOPY_BENCH_LOAD_CLIENT=node)");
  for (const v of report.variants) assert.equal(v.wrong, undefined, `${v.name} sends the file's bytes`);
});

test('--json alone writes the JSON to stdout; a finding that cannot run exits 1 with the reason; a line without a finding exits 2', { timeout: 120_000 }, () => {
  const tls = zerocopy(['bench', 'examples/media-server/src/admin-tls.js:16', '--json']);
  assert.equal(tls.status, 1);
  assert.equal(tls.stdout, '');
  assert.match(tls.stderr, /zerocopy: cannot benchmark examples\/media-server\/src\/admin-tls\.js:16: the sink is a TLS socket/);

  const none = zerocopy(['bench', 'examples/media-server/src/server.js:3']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /no finding at examples\/media-server\/src\/server\.js:3 \(this file has findings at 15:3\)/);

  for (const [args, message] of [
    [['bench', 'server.js'], /is not FILE:LINE/],
    [['bench', 'nowhere.js:3'], /nowhere\.js is not a file/],
    [['bench', PIPE_FINDING, '--sizes', 'big'], /bad size 'big'/],
    [['bench', PIPE_FINDING, '--concurrency', '0'], /bad concurrency '0'/],
    [['bench', PIPE_FINDING, '--time-budget', '0'], /--time-budget needs a positive number/],
  ] as const) {
    const r = zerocopy([...args]);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, message);
  }
  const help = zerocopy(['bench', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: zerocopy bench FILE:LINE\[:COL\]/);

  const small = zerocopy(['bench', PIPE_FINDING, '--sizes', '64K', '--concurrency', '1', '--time-budget', '1', '--json']);
  assert.equal(small.status, 0, small.stderr);
  const report = JSON.parse(small.stdout) as BenchReport;
  assertReportShape(report, [64 << 10], [1]);
});

test('--time-limit: what cannot begin in time is skipped and said to be, instead of nothing at all', { timeout: 120_000 }, () => {
  // Twelve points of at least six rounds of six variants cannot all fit in two seconds.
  const r = zerocopy(['bench', PIPE_FINDING, '--sizes', '64K,1M,16M,256M', '--concurrency', '1', '--time-budget', '60', '--time-limit', '2', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as BenchReport;
  assert.equal(report.environment.stoppedEarly, true);
  const last = report.variants[0]!.points.filter((p) => p.sizeBytes === 256 << 20);
  assert.ok(last.length > 0 && last.every((p) => p.skipped === 'the time limit was reached before this point'), JSON.stringify(last));
});

test('cancelling (SIGTERM, what the language server sends) stops every process and removes every file', { timeout: 120_000 }, async () => {
  const child = spawn(process.execPath, [CLI, 'bench', PIPE_FINDING, '--sizes', '16M', '--concurrency', '4', '--time-budget', '60', '--progress', 'json'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let runDir: string | undefined;
  let stderr = '';
  const measuring = new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      for (const line of stderr.split('\n')) {
        if (!line.startsWith('{')) continue;
        const message = JSON.parse(line) as { type: string; path?: string; message?: string };
        if (message.type === 'runDir') runDir = message.path;
        if (message.type === 'progress' && /round \d+/.test(message.message ?? '')) resolve();
      }
    });
    child.on('exit', () => reject(new Error(`exited before measuring: ${stderr}`)));
  });
  await measuring;
  assert.ok(runDir && existsSync(runDir), 'the run folder exists while measuring');
  assert.ok(processesMentioning(runDir).length >= 2, 'the serving processes and the load client are running');
  const stoppedAt = Date.now();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const code = await exited;
  process.stdout.write(`# stopped ${Date.now() - stoppedAt} ms after SIGTERM\n`);
  assert.equal(code, 130, stderr);
  assert.match(stderr, /benchmark cancelled/);
  assert.equal(existsSync(runDir), false, 'the run folder is gone');
  assert.deepEqual(processesMentioning(runDir), [], 'no process of the run is left');
});
