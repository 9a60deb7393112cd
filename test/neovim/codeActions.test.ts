/**
 * Quick fixes in a client nobody here wrote: Neovim 0.7's LSP client asks for the code actions
 * on a finding, applies the preferred one with its own `apply_workspace_edit`, and the finding
 * goes away. The fix also adds `zerocopy` to the project's package.json, in an unsaved buffer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, withTimeout } from '../lsp/support/lspClient';
import { READ_WITH_ERROR_BRANCH } from '../lsp/support/sources';
import { tempProject } from '../lsp/support/tempProject';

const PROBE = join(__dirname, '../../../test/neovim/fixtures/code-actions.lua');
const hasNeovim = spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;
const PACKAGE_JSON = JSON.stringify({ name: 'site', version: '1.0.0', dependencies: { ws: '^8.0.0' } }, null, 2) + '\n';

test('Neovim lists the quick fixes of a finding, applies the preferred one, and the finding goes', { skip: !hasNeovim && !process.env.CI && 'nvim is not installed (bash .ci/setup-lsp.sh installs it)' }, async (t) => {
  assert.ok(hasNeovim, 'nvim must be installed in CI: run .ci/setup-lsp.sh');
  const p = tempProject({ 'server.js': READ_WITH_ERROR_BRANCH, 'package.json': PACKAGE_JSON });
  t.after(() => p.remove());
  const out = p.path('results.json');
  const nvim = spawn('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${PROBE}`], {
    cwd: p.root,
    env: { ...process.env, ZC_SERVER: CLI, ZC_ROOT: p.root, ZC_FILE: p.path('server.js'), ZC_PACKAGE: p.path('package.json'), ZC_OUT: out },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  nvim.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => nvim.on('exit', (code) => resolve(code)));
  t.after(() => nvim.exitCode === null && nvim.kill('SIGKILL'));
  assert.equal(await withTimeout(exited, 90_000, 'Neovim to finish'), 0, stderr);

  const r = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(r.error, undefined, r.error);
  assert.deepEqual(r.steps, ['opened', 'listed', 'applied', 'cleared']);
  assert.equal(r.diagnostics, 1);
  assert.ok(r.provider, 'codeActionProvider announced');

  const preferred = r.actions.filter((a: any) => a.preferred);
  assert.equal(preferred.length, 1, JSON.stringify(r.actions));
  assert.equal(preferred[0].kind, 'quickfix');
  assert.ok(r.actions.some((a: any) => /^Disable `read-then-send` for this line$/.test(a.title)));
  assert.ok(r.actions.some((a: any) => a.command === 'zerocopy.showRuleDocs'));
  assert.equal(r.resolved, true);

  assert.equal(r.cleared, true, `the finding went away; the text is now:\n${r.text}`);
  assert.match(r.text, /sendFile\(/);
  assert.doesNotMatch(r.text, /readFile\(/);
  const pkg = JSON.parse(r.package_json);
  assert.equal(typeof pkg.dependencies.zerocopy, 'string', r.package_json);
  assert.equal(pkg.dependencies.ws, '^8.0.0');
});
