// mapFile: a private copy-on-write Buffer over the file, unmapped by GC, safe when the file shrinks.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { mapFile } from 'zerocopy';
import { KiB, MiB, makeFile, makeLargeFile, makeTempDir, residentMemoryHidden, runChild } from './helpers';

const temp = makeTempDir();
after(() => temp.cleanup());

describe('mapFile', () => {
  for (const size of [1, 4095, 4096, 65537, MiB]) {
    test(`a ${size}-byte file maps to a Buffer with exactly its bytes`, () => {
      const file = makeFile(temp.dir, size);
      const mapped = mapFile(file.path);
      assert.ok(Buffer.isBuffer(mapped));
      assert.equal(mapped.length, size);
      assert.ok(mapped.equals(file.content));
    });
  }

  test('a file whose size reads 0 but has bytes (/proc/version) is read to its end, as fs.readFile reads it', { skip: !fs.existsSync('/proc/version') && 'no /proc/version' }, () => {
    assert.equal(fs.statSync('/proc/version').size, 0);
    const expected = fs.readFileSync('/proc/version');
    assert.ok(expected.length > 0);
    assert.ok(mapFile('/proc/version').equals(expected));
  });

  for (const mode of ['sync', 'async']) {
    test(`a FIFO or a device is refused with ERR_ZEROCOPY_NOT_REGULAR_FILE, without waiting for a writer (${mode}, child process with a time limit)`, async () => {
      const fifo = path.join(temp.dir, `fifo-${mode}`);
      execFileSync('mkfifo', [fifo]);
      for (const special of [fifo, '/dev/zero', '/dev/null']) {
        const child = await runChild('map-special-file.js', [special, mode], {}, 20_000);
        assert.equal(child.code, 0, child.stderr);
        assert.deepEqual(JSON.parse(child.stdout), { refused: { name: 'TypeError', code: 'ERR_ZEROCOPY_NOT_REGULAR_FILE', message: `'${special}' is not a regular file` } }, special);
      }
    });
  }

  test('writes to the Buffer never reach the file (copy-on-write) and do not crash', () => {
    const file = makeFile(temp.dir, 64 * KiB);
    const mapped = mapFile(file.path, { populate: true });
    mapped.fill(0xab);
    assert.ok(mapped.every((b) => b === 0xab));
    assert.ok(fs.readFileSync(file.path).equals(file.content), 'the file is unchanged');
    assert.ok(mapFile(file.path).equals(file.content), 'a new mapping sees the file, not our writes');
  });

  test('descriptors and FileHandles can be mapped and stay open; mapping a path leaves no descriptor open', async () => {
    const file = makeFile(temp.dir, 10 * KiB);
    const fd = fs.openSync(file.path, 'r');
    const handle = await fs.promises.open(file.path, 'r');
    try {
      assert.ok(mapFile(fd).equals(file.content));
      assert.ok(mapFile(handle).equals(file.content));
      assert.equal(fs.fstatSync(fd).size, file.content.length);
      assert.equal((await handle.stat()).size, file.content.length);
    } finally {
      fs.closeSync(fd);
      await handle.close();
    }
    const openBefore = fs.readdirSync('/proc/self/fd').length;
    for (let i = 0; i < 50; i++) mapFile(file.path);
    assert.equal(fs.readdirSync('/proc/self/fd').length, openBefore);
  });

  test('mappings are released when their Buffers are collected (child process)', async (t) => {
    const file = makeLargeFile(temp.dir, 32 * MiB);
    const child = await runChild('map-lifecycle.js', [file.path, '20']);
    assert.equal(child.code, 0, child.stderr);
    const report = JSON.parse(child.stdout) as Record<'before' | 'whileHeld' | 'afterGc', { mappings: number; rss: number }>;
    assert.equal(report.before.mappings, 0);
    assert.equal(report.whileHeld.mappings, 20);
    assert.equal(report.afterGc.mappings, 0, 'every mapping is gone after GC');
    const hidden = residentMemoryHidden();
    if (hidden) return t.skip(`the mappings were checked; RSS is not: ${hidden}`);
    assert.ok(report.whileHeld.rss - report.before.rss >= 32, `resident while held: ${JSON.stringify(report)}`);
    assert.ok(report.afterGc.rss - report.before.rss < 32, `RSS back down after GC: ${JSON.stringify(report)}`);
  });

  for (const mode of ['on demand', 'populate']) {
    test(`a file truncated while mapped (${mode}): the process survives, bytes past the new end read as zeros`, async () => {
      const file = makeFile(temp.dir, 8 * MiB + 123);
      const keep = 4096 + 100;
      const child = await runChild('truncate-mapped.js', [file.path, String(keep), mode === 'populate' ? 'populate' : 'lazy']);
      assert.equal(child.signal, null, `the child died with ${child.signal}: ${child.stderr}`);
      assert.equal(child.code, 0, child.stderr);
      const report = JSON.parse(child.stdout) as { length: number; intact: boolean; zeros: boolean; written: boolean; copiedLength: number; fileSize: number; recoveredPages: number; sigbusGuard: boolean };
      assert.equal(report.sigbusGuard, true);
      assert.equal(report.length, 8 * MiB + 123, 'the Buffer keeps its length');
      assert.equal(report.fileSize, keep);
      assert.equal(report.intact, true, 'bytes still in the file are unchanged');
      assert.equal(report.zeros, true, 'bytes past the new end read as zeros');
      assert.equal(report.written, true);
      assert.equal(report.copiedLength, report.length);
      // Every page wholly past the new end was replaced once; the page holding the new end is still the file's.
      assert.equal(report.recoveredPages, Math.ceil((8 * MiB + 123) / 4096) - 2);
    });
  }

  for (const [when, how] of [
    ['after', 'sync'],
    ['before', 'sync'],
    ['removed', 'sync'],
    ['after', 'async'],
  ] as const) {
    test(`a process.on('SIGBUS') listener installed ${when === 'removed' ? 'and removed again after' : when} the mapping (${how}): a truncated mapping still reads zeros, no spinning (child process with a time limit)`, async () => {
      const file = makeFile(temp.dir, 4 * MiB + 17);
      const keep = 10_000;
      const child = await runChild('truncate-mapped-with-listener.js', [file.path, String(keep), when, how], {}, 20_000);
      assert.equal(child.signal, null, `the child died with ${child.signal}: ${child.stderr}`);
      assert.equal(child.code, 0, child.stderr);
      const report = JSON.parse(child.stdout) as { length: number; zeros: boolean; heardFault: number; heardKill?: number };
      assert.equal(report.length, 4 * MiB + 17);
      assert.equal(report.zeros, true, 'bytes past the new end read as zeros');
      assert.equal(report.heardFault, 0, 'faults in our mappings never reach the listener');
      if (when !== 'removed') assert.equal(report.heardKill, 1, 'a SIGBUS sent with kill(2) still reaches the listener');
    });
  }
});
