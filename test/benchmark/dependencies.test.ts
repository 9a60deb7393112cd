/**
 * Which way the benchmark's dependencies point (ARCHITECTURE.md): only the language server and
 * the CLI import server/src/bench; it imports the runtime, the fixes, the engine's types and
 * parse, and the protocol — never the LSP, the CLI or the client.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const SERVER = join(__dirname, '../../../server/src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** The folders of server/src a file imports from (relative imports only). */
function importedFolders(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)].map((m) => relative(SERVER, resolve(file, '..', m[1]!)).split('/')[0]!);
}

test('only lsp and cli import bench', () => {
  for (const file of sources(SERVER)) {
    const folder = relative(SERVER, file).split('/')[0]!;
    if (folder === 'bench' || folder === 'lsp' || folder === 'cli') continue;
    assert.ok(!importedFolders(file).includes('bench'), `${relative(SERVER, file)} imports bench`);
  }
});

test('bench imports only the engine, the fixes, the protocol, the report helpers and itself (and the runtime, as a package)', () => {
  const allowed = new Set(['bench', 'engine', 'fixes', 'protocol', 'report']);
  for (const file of sources(join(SERVER, 'bench'))) {
    for (const folder of importedFolders(file)) assert.ok(allowed.has(folder), `${relative(SERVER, file)} imports ${folder}`);
  }
});
