import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { readSourceFile, readSourceFileSync } from '../../server/src/workspace/readSource';
import { readRegularFile, readRegularFileSync } from '../../server/src/workspace/regularFile';
import { tempProject } from '../lsp/support/tempProject';

const BOTH_READS = [readSourceFile, async (f: string, m: number) => readSourceFileSync(f, m)];

test('reads text, without a byte-order mark; refuses binary, too large and missing files with a reason', async (t) => {
  const p = tempProject({
    'bom.js': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('let x;')]),
    'bin.js': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]),
    'big.js': 'x'.repeat(101),
    'late-nul.js': 'a'.repeat(9000) + '\u0000',
    'exact.js': 'y'.repeat(100),
    'large.js': 'z'.repeat(300_000),
  });
  t.after(() => p.remove());
  for (const read of BOTH_READS) {
    assert.deepEqual(await read(p.path('bom.js'), 100), { text: 'let x;' });
    assert.deepEqual(await read(p.path('bin.js'), 100), { skipped: 'binary file (NUL byte in the first 8000 bytes)' });
    assert.deepEqual(await read(p.path('big.js'), 100), { skipped: 'too large (101 bytes; the limit is 100)' });
    assert.deepEqual(await read(p.path('exact.js'), 100), { text: 'y'.repeat(100) });
    assert.deepEqual(await read(p.path('missing.js'), 100), { skipped: 'cannot be read (ENOENT: no such file)' });
    assert.deepEqual(await read(p.root, 100), { skipped: 'not a regular file (folder)' });
    assert.ok('text' in (await read(p.path('late-nul.js'), 100_000)));
    // Larger than the first buffer: read in several goes, all of it.
    assert.deepEqual(await read(p.path('large.js'), 1_000_000), { text: 'z'.repeat(300_000) });
  }
});

test('only regular files are read: a FIFO, a device and a link to one are refused without being opened', { skip: process.platform === 'win32' }, async (t) => {
  const p = tempProject({});
  t.after(() => p.remove());
  const fifo = p.path('fifo.js');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  symlinkSync('/dev/zero', p.path('zero.js'));
  // With no writer, opening the FIFO to read would block for ever; reading /dev/zero never ends.
  for (const read of BOTH_READS) {
    assert.deepEqual(await read(fifo, 1000), { skipped: 'not a regular file (FIFO)' });
    assert.deepEqual(await read('/dev/zero', 1000), { skipped: 'not a regular file (character device)' });
    assert.deepEqual(await read(p.path('zero.js'), 1000), { skipped: 'not a regular file (character device)' });
  }
});

test('the limit applies to what is read, not to what stat says: a file reporting size 0 is cut at limit + 1 bytes', { skip: !existsSync('/proc/self/status') }, async () => {
  // /proc files say size 0 and hold more: the read stops one byte past the limit.
  for (const read of [readRegularFile, async (f: string, m: number) => readRegularFileSync(f, m)]) {
    assert.deepEqual(await read('/proc/self/status', 100), { refused: 'too large (over 100 bytes when read; the limit is 100)' });
    const whole = await read('/proc/self/status', 1_000_000);
    assert.ok('bytes' in whole && whole.bytes.length > 100, 'under a high limit the whole file is read');
  }
});
