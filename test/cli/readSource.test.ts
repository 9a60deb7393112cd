import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSourceFile, readSourceFileSync } from '../../server/src/workspace/readSource';
import { tempProject } from '../lsp/support/tempProject';

test('reads text, without a byte-order mark; refuses binary, too large and missing files with a reason', async (t) => {
  const p = tempProject({
    'bom.js': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('let x;')]),
    'bin.js': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]),
    'big.js': 'x'.repeat(101),
    'late-nul.js': 'a'.repeat(9000) + '\u0000',
  });
  t.after(() => p.remove());
  for (const read of [readSourceFile, async (f: string, m: number) => readSourceFileSync(f, m)]) {
    assert.deepEqual(await read(p.path('bom.js'), 100), { text: 'let x;' });
    assert.deepEqual(await read(p.path('bin.js'), 100), { skipped: 'binary file (NUL byte in the first 8000 bytes)' });
    assert.deepEqual(await read(p.path('big.js'), 100), { skipped: 'too large (101 bytes; the limit is 100)' });
    assert.deepEqual(await read(p.path('missing.js'), 100), { skipped: 'cannot be read (ENOENT)' });
    assert.ok('text' in (await read(p.path('late-nul.js'), 100_000)));
  }
});
