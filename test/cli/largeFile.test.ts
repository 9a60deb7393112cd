/**
 * A file far over the default size limit, with the limit raised (`--max-file-size`): the CLI
 * finishes with findings or a skip and its reason, never a crash. The heap is pinned to 1 GB so
 * that the outcome does not depend on the machine: a 50 MB file needs more (its reason says so),
 * a 3 MB one fits and is analysed.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI } from '../lsp/support/lspClient';
import { tempProject } from '../lsp/support/tempProject';
import { repoPath } from '../engine/repo';

const MODULES = ['node_modules/form-data/lib/form_data.js', 'node_modules/tar-fs/index.js', 'node_modules/pump/index.js', 'examples/media-server/src/routes/downloads.js'];
/** Real modules, each in its own wrapper (as a bundle or a concatenated script has them), over and over. */
function generated(bytes: number): string {
  const unit = MODULES.map((p) => `;(function () {\n${readFileSync(repoPath(p), 'utf8').replace(/^#!.*\n/, '')}\n})();\n`).join('');
  return unit.repeat(Math.ceil(bytes / unit.length));
}

const ws = tempProject({});
after(() => ws.remove());

function check(file: string) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=1024', CLI, 'check', file, '--max-file-size', '100000000', '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 10 * 60_000,
  });
  return { status: r.status, signal: r.signal, stderr: r.stderr, report: r.status === 0 || r.status === 1 ? JSON.parse(r.stdout) : undefined };
}

test('a 50 MB file with the size limit raised: skipped with a reason when the heap is too small for it, not a crash', () => {
  const file = ws.write('bundle.js', generated(50_000_000));
  const r = check(file);
  assert.equal(r.signal, null, r.stderr.slice(-2000));
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  assert.doesNotMatch(r.stderr, /FATAL ERROR|out of memory/i);
  assert.deepEqual(r.report.findings, []);
  assert.equal(r.report.skipped.length, 1);
  assert.match(r.report.skipped[0].reason, /too large to analyse in the memory left: about \d+ MB needed, \d+ MB left/);
});

test('a 3 MB file under the same heap is analysed', () => {
  const file = ws.write('medium.js', generated(3_000_000));
  const r = check(file);
  assert.equal(r.signal, null, r.stderr.slice(-2000));
  assert.equal(r.status, 1, r.stderr.slice(-2000));
  assert.deepEqual(r.report.skipped, []);
  assert.ok(r.report.findings.length > 0);
});
