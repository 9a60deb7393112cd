/**
 * The shape of the bundle the language server and `check` load (dist/core.js, built by
 * scripts/build.mjs): what it costs at load depends on it, not only on the code in it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLI } from '../lsp/support/lspClient';

const CORE = join(dirname(CLI), 'core.js');

test('dist/core.js is ASCII only, so V8 keeps its source one byte per character', () => {
  const text = readFileSync(CORE, 'utf8');
  const at = text.search(/[^\x00-\x7f]/);
  assert.equal(at, -1, `non-ASCII character at offset ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 60), at + 20))}`);
});

test('dist/core.js requires TypeScript once and never copies its exports per importing module', (t) => {
  const text = readFileSync(CORE, 'utf8');
  // `npm run package` leaves a minified bundle (e2e restores `npm run build`'s): its helpers have other names.
  if (!/\/\/# sourceMappingURL=core\.js\.map\s*$/.test(text)) return t.skip('dist/core.js is a minified (packaged) bundle');
  // esbuild names a bundled CommonJS module's loader require_<name>; __toESM copies a module's exports into getters.
  assert.equal(text.match(/\brequire_typescript\(\)/g)?.length, 1);
  assert.doesNotMatch(text, /__toESM\(require_typescript\(\)\)/);
});
