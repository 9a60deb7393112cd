// Runs every compiled test file with Node's own test runner.
// Usage: node scripts/run-tests.mjs [layer…]   (layers are folders of test/: engine, lsp, cli, native, e2e…)
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = 'out/test';
const layers = process.argv.slice(2);
function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.js') ? [p] : [];
  });
}
// tsc never deletes what it compiled: a test whose source was removed or renamed leaves its old
// .js behind, which must not run.
const stale = (f) => !existsSync(join('test', f.slice(root.length + 1)).replace(/\.js$/, '.ts'));
const files = walk(root)
  .filter((f) => layers.length === 0 || layers.some((l) => f.startsWith(join(root, l) + '/')))
  .filter((f) => {
    if (!stale(f)) return true;
    console.log(`run-tests: skipping ${f}: its source is gone`);
    return false;
  })
  .sort();
if (files.length === 0) {
  console.error(`no test files under ${root}${layers.length ? ' for ' + layers.join(', ') : ''}`);
  process.exit(2);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
