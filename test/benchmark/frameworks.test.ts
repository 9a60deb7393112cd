/**
 * The user's own framework: express, koa and fastify handlers benchmarked behind the framework as
 * installed in their project (here the repository's node_modules, linked into the project), the
 * references answering through the same framework; every variant's bytes check out, and koa's
 * sendfile fix runs as a variant of its own. Without the framework installed, the benchmark says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchReport } from '../../server/src/protocol/benchReport';
import { CLI } from '../lsp/support/lspClient';
import { tempProject } from '../lsp/support/tempProject';
import { FRAMEWORK_FILES, NODE_SERVER_FILES } from './fixtures/frameworks';
import { assertReportShape } from './support/report';

const REPO = join(__dirname, '../../..');

function bench(cwd: string, target: string) {
  return spawnSync(process.execPath, [CLI, 'bench', target, '--sizes', '64K', '--concurrency', '1', '--time-budget', '1', '--json'], { cwd, encoding: 'utf8', timeout: 180_000 });
}

const CASES = [
  { file: 'express.js', line: 6, sink: "the workspace's express + an HTTP/1.1 client on 127.0.0.1", fixes: [] as string[] },
  { file: 'koa.mjs', line: 6, sink: "the workspace's koa + an HTTP/1.1 client on 127.0.0.1", fixes: ['fix: sendfile'] },
  { file: 'fastify.js', line: 5, sink: "the workspace's fastify + an HTTP/1.1 client on 127.0.0.1", fixes: [] },
];

test('express, koa and fastify handlers run behind the workspace’s own framework', { timeout: 600_000 }, (t) => {
  const p = tempProject({ ...FRAMEWORK_FILES, 'package.json': '{ "name": "frameworks", "private": true }\n' });
  t.after(() => p.remove());
  symlinkSync(join(REPO, 'node_modules'), p.path('node_modules'), 'dir');
  for (const c of CASES) {
    const r = bench(p.root, `${c.file}:${c.line}`);
    assert.equal(r.status, 0, `${c.file}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as BenchReport;
    assertReportShape(report, [64 << 10], [1]);
    assert.equal(report.environment.sink, c.sink);
    assert.match(report.environment.loadClient ?? '', /^the zerocopy addon's HTTP\/1\.1 client/);
    for (const v of report.variants) assert.equal(v.wrong, undefined, `${c.file}: ${v.name} sends the file`);
    assert.deepEqual(report.variants.filter((v) => v.kind === 'fix').map((v) => v.name), c.fixes, c.file);
  }
});

test('Node’s net and http2 servers: a TCP connection and an HTTP/2 stream as the sink, and the method the runtime used', { timeout: 300_000 }, (t) => {
  const p = tempProject({ ...NODE_SERVER_FILES, 'package.json': '{ "name": "node-servers", "private": true }\n' });
  t.after(() => p.remove());
  const cases = [
    { target: 'tcp.js:4', sink: 'a TCP socket pair on 127.0.0.1', fix: 'fix: sendfile', method: 'sendfile' },
    { target: 'h2.js:5', sink: 'an HTTP/2 session on 127.0.0.1', fix: 'fix: respondWithFile', method: 'respondWithFD' },
  ];
  for (const c of cases) {
    const r = bench(p.root, c.target);
    assert.equal(r.status, 0, `${c.target}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as BenchReport;
    assertReportShape(report, [64 << 10], [1]);
    assert.equal(report.environment.sink, c.sink);
    assert.match(report.environment.loadClient ?? '', /^Node's (net sockets|http2 client)/);
    for (const v of report.variants) assert.equal(v.wrong, undefined, `${c.target}: ${v.name} sends the file`);
    assert.ok(report.variants.some((v) => v.name === c.fix), `${c.target}: ${c.fix} is a variant`);
    // Which method carried the bytes, from the runtime's diagnostics channel.
    const sendFile = report.variants.find((v) => v.name === 'sendFile')!;
    const measured = sendFile.points.filter((p) => p.rounds > 0);
    assert.ok(measured.length > 0 && measured.every((p) => (p.runtimeMethods?.[c.method] ?? 0) > 0), `${c.target}: sendFile used ${c.method}: ${JSON.stringify(measured.map((p) => p.runtimeMethods))}`);
  }
});

test('a framework that is not installed: the benchmark cannot run, and says what to install', { timeout: 120_000 }, (t) => {
  const p = tempProject({ 'koa.mjs': FRAMEWORK_FILES['koa.mjs']!, 'package.json': '{ "name": "bare", "private": true }\n' });
  t.after(() => p.remove());
  const r = bench(p.root, 'koa.mjs:6');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot benchmark koa\.mjs:6: the handler runs on koa, which is not installed where koa\.mjs would load it \(run npm install there first\)/);
});
