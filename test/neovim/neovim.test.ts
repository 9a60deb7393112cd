/**
 * The server in a client nobody here wrote: Neovim's built-in LSP client (Debian's neovim 0.7,
 * installed by .ci/setup-lsp.sh), headless, against `node dist/cli.js lsp --stdio`.
 * Diagnostics are read back from Neovim itself (`vim.diagnostic.get`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, withTimeout } from '../lsp/support/lspClient';
import { CLEAN, READ_THEN_SEND } from '../lsp/support/sources';
import { tempProject } from '../lsp/support/tempProject';

const PROBE = join(__dirname, '../../../test/neovim/fixtures/probe.lua');
const hasNeovim = spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;

test('Neovim shows the finding, follows an edit, hovers it, and shows nothing for clean code', { skip: !hasNeovim && !process.env.CI && 'nvim is not installed (bash .ci/setup-lsp.sh installs it)' }, async (t) => {
  assert.ok(hasNeovim, 'nvim must be installed in CI: run .ci/setup-lsp.sh');
  const p = tempProject({ 'server.js': READ_THEN_SEND, 'clean.js': CLEAN });
  t.after(() => p.remove());
  const out = p.path('results.json');
  const nvim = spawn('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${PROBE}`], {
    cwd: p.root,
    env: { ...process.env, ZC_SERVER: CLI, ZC_ROOT: p.root, ZC_FINDING: p.path('server.js'), ZC_CLEAN: p.path('clean.js'), ZC_OUT: out },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  nvim.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => nvim.on('exit', (code) => resolve(code)));
  t.after(() => nvim.exitCode === null && nvim.kill('SIGKILL'));
  assert.equal(await withTimeout(exited, 90_000, 'Neovim to finish'), 0, stderr);

  const r = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(r.error, undefined, r.error);
  assert.deepEqual(r.steps, ['opened', 'reconfigured', 'edited', 'hovered', 'clean']);
  assert.equal(r.attached, true, 'diagnostics arrived');
  assert.equal(r.diagnostics.length, 1);
  const [d] = r.diagnostics;
  assert.deepEqual([d.lnum, d.col, d.end_lnum, d.end_col], [3, 2, 3, 13]);
  assert.equal(d.source, 'zerocopy');
  assert.equal(d.severity, 2, 'warning by default');
  assert.equal(d.user_data.lsp.code, 'read-then-send');
  assert.match(d.message, /readFile/);

  assert.equal(r.reconfigured, true, 'settings pushed by the client turned the finding into an error');
  assert.equal(r.moved, true, 'the diagnostic followed the edit');
  assert.equal(r.after_edit[0].severity, 1);
  assert.deepEqual([r.after_edit[0].lnum, r.after_edit[0].col], [4, 2]);
  assert.equal(r.sync.change, 2, 'incremental sync');

  assert.equal(r.hover.contents.kind, 'markdown');
  assert.match(r.hover.contents.value, /\| 4 \| 2 \| 2 \|/);
  assert.match(r.hover.contents.value, /sendfile/);

  assert.equal(r.clean_published, true);
  assert.deepEqual(r.clean, []);
  // Every publish for the edited file carried a version, and versions never went back.
  const versions = r.publishes.filter((x: any) => x.uri.endsWith('/server.js')).map((x: any) => x.version);
  assert.ok(versions.every((v: unknown) => typeof v === 'number'));
  assert.deepEqual([...versions].sort((a: number, b: number) => a - b), versions);
});
