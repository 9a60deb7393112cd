/**
 * "Benchmark this transfer" from a client nobody here wrote: Neovim's LSP client runs
 * `workspace/executeCommand` `zerocopy.runBenchmark` on the example's `createReadStream().pipe(res)`
 * and gets the report `zerocopy bench --json` writes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchReport } from '../../server/src/protocol/benchReport';
import { assertReportShape, withNulls } from '../benchmark/support/report';
import { CLI, withTimeout } from '../lsp/support/lspClient';
import { tempProject } from '../lsp/support/tempProject';

const SCRIPT = join(__dirname, '../../../test/neovim/fixtures/benchmark.lua');
const EXAMPLE = join(__dirname, '../../../examples/media-server');
const hasNeovim = spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;

test('Neovim runs zerocopy.runBenchmark and gets the JSON report', { skip: !hasNeovim && !process.env.CI && 'nvim is not installed (bash .ci/setup-lsp.sh installs it)', timeout: 200_000 }, async (t) => {
  assert.ok(hasNeovim, 'nvim must be installed in CI: run .ci/setup-lsp.sh');
  const out = tempProject();
  t.after(() => out.remove());
  const results = out.path('results.json');
  const nvim = spawn('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${SCRIPT}`], {
    cwd: EXAMPLE,
    env: { ...process.env, ZC_SERVER: CLI, ZC_ROOT: EXAMPLE, ZC_FILE: join(EXAMPLE, 'src/lib/media-store.js'), ZC_LINE: '24', ZC_OUT: results },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  nvim.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => nvim.on('exit', (code) => resolve(code)));
  t.after(() => nvim.exitCode === null && nvim.kill('SIGKILL'));
  assert.equal(await withTimeout(exited, 190_000, 'Neovim to finish'), 0, stderr);

  const r = JSON.parse(readFileSync(results, 'utf8'));
  assert.equal(r.failure, undefined, r.failure);
  assert.equal(r.error, undefined, r.error);
  assert.equal(r.initialized, true);
  assert.deepEqual(r.commands, ['zerocopy.runBenchmark', 'zerocopy.benchmarkMarkdown']);
  const report = withNulls(r.report as BenchReport);
  assertReportShape(report, [64 << 10], [1]);
  assert.equal(report.finding.rule, 'stream-to-socket');
  assert.equal(report.finding.line, 25);
});
