// mapFileAsync: mapFile off the event loop, rejecting where fs.promises.readFile rejects, with its codes.
import assert from 'node:assert/strict';
import * as diagnostics from 'node:diagnostics_channel';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { MAP_FILE_CHANNEL, mapFileAsync, type MapFileMessage } from 'zerocopy';
import { KiB, MiB, makeFile, makeLargeFile, makeTempDir, residentMemoryHidden, runChild, sha256 } from './helpers';

const temp = makeTempDir();
after(() => temp.cleanup());

/** Resident KiB of this process's mappings of `file` (the Rss lines of /proc/self/smaps). */
function residentKiB(file: string): number {
  let total = 0;
  let inFile = false;
  for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) inFile = line.endsWith(file);
    else if (inFile && line.startsWith('Rss:')) total += Number(/(\d+) kB/.exec(line)?.[1]);
  }
  return total;
}

describe('mapFileAsync', () => {
  for (const size of [1, 4095, 4096, 65537, MiB]) {
    test(`a ${size}-byte file resolves to a Buffer with exactly its bytes`, async () => {
      const file = makeFile(temp.dir, size);
      const mapped = await mapFileAsync(file.path);
      assert.ok(Buffer.isBuffer(mapped));
      assert.ok(mapped.equals(file.content));
    });
  }

  test('paths as Buffer and URL; descriptors and FileHandles stay open; a path leaves no descriptor open', async () => {
    const file = makeFile(temp.dir, 10 * KiB);
    assert.ok((await mapFileAsync(Buffer.from(file.path))).equals(file.content));
    assert.ok((await mapFileAsync(pathToFileURL(file.path))).equals(file.content));
    const fd = fs.openSync(file.path, 'r');
    const handle = await fs.promises.open(file.path, 'r');
    try {
      assert.ok((await mapFileAsync(fd)).equals(file.content));
      assert.ok((await mapFileAsync(handle)).equals(file.content));
      assert.equal(fs.fstatSync(fd).size, file.content.length);
      assert.equal((await handle.stat()).size, file.content.length);
    } finally {
      fs.closeSync(fd);
      await handle.close();
    }
    const openBefore = fs.readdirSync('/proc/self/fd').length;
    await Promise.all(Array.from({ length: 50 }, () => mapFileAsync(file.path)));
    assert.equal(fs.readdirSync('/proc/self/fd').length, openBefore);
  });

  test('100 concurrent calls on different files each resolve to their own bytes', async () => {
    const files = Array.from({ length: 100 }, (_, i) => makeFile(temp.dir, 1 + i * 997));
    const mapped = await Promise.all(files.map((f) => mapFileAsync(f.path)));
    mapped.forEach((buffer, i) => assert.ok(buffer.equals(files[i].content), `file ${i}`));
  });

  test('an empty file is an empty Buffer, and a size-0 file with bytes (/proc/version) is read to its end, as fs.promises.readFile does', async () => {
    const empty = path.join(temp.dir, 'empty-async');
    fs.writeFileSync(empty, '');
    assert.deepEqual(await mapFileAsync(empty), await fs.promises.readFile(empty));
    if (fs.existsSync('/proc/version')) assert.ok((await mapFileAsync('/proc/version')).equals(await fs.promises.readFile('/proc/version')));
  });

  test('a large file (64 MiB) is exact, and its pages are resident before the Buffer is read; with populate: false they are not', async (t) => {
    const hidden = residentMemoryHidden();
    const large = makeLargeFile(temp.dir, 64 * MiB);
    await fs.promises.readFile(large.path); // in the page cache, so residency says what the mapping did
    let mapped: Buffer | undefined = await mapFileAsync(large.path);
    const populated = residentKiB(large.path);
    assert.equal(sha256(mapped), large.sha256);
    mapped = undefined;
    const lazyFile = path.join(temp.dir, 'lazy.bin');
    fs.copyFileSync(large.path, lazyFile);
    const lazy = await mapFileAsync(lazyFile, { populate: false });
    const notPopulated = residentKiB(lazyFile);
    assert.equal(sha256(lazy), large.sha256);
    if (hidden) return t.skip(`the bytes were checked; residency is not: ${hidden}`);
    assert.ok(populated >= 64 * 1024, `populated in the thread pool: ${populated} KiB resident`);
    assert.ok(notPopulated < 1024, `not populated: ${notPopulated} KiB resident`);
  });

  test('it rejects where fs.promises.readFile rejects, with the same code, errno and path', async () => {
    const file = makeFile(temp.dir, 100);
    const loop = path.join(temp.dir, 'loop');
    fs.symlinkSync(loop, loop);
    const cases = [path.join(temp.dir, 'missing'), path.join(file.path, 'below-a-file'), temp.dir, loop, path.join(temp.dir, 'x'.repeat(300))];
    if (process.getuid?.() !== 0) {
      const locked = makeFile(temp.dir, 10);
      fs.chmodSync(locked.path, 0);
      cases.push(locked.path);
    }
    for (const bad of cases) {
      const expected = (await fs.promises.readFile(bad).then(
        () => assert.fail(`fs.promises.readFile(${bad}) resolved`),
        (error: unknown) => error,
      )) as NodeJS.ErrnoException;
      await assert.rejects(mapFileAsync(bad), { code: expected.code, errno: expected.errno, path: bad }, bad);
    }
  });

  test('arguments are checked and reported as rejections, as an async function does', async () => {
    const file = makeFile(temp.dir, 100);
    // Returned, not thrown: each call gives a promise that rejects.
    const calls = [mapFileAsync(undefined as never), mapFileAsync(-1), mapFileAsync(file.path, { populate: 'yes' as never }), mapFileAsync(`${file.path}\u0000x`)];
    await assert.rejects(calls[0], { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    await assert.rejects(calls[1], { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    await assert.rejects(calls[2], { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    await assert.rejects(calls[3], { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
    await assert.rejects(fs.promises.readFile(`${file.path}\u0000x`), { code: 'ERR_INVALID_ARG_VALUE' });
  });

  test('each call is published on zerocopy:mapFile with async: true', async () => {
    const file = makeFile(temp.dir, 5000);
    const messages: MapFileMessage[] = [];
    const onMessage = (message: unknown): void => void messages.push(message as MapFileMessage);
    diagnostics.subscribe(MAP_FILE_CHANNEL, onMessage);
    let rejected: unknown;
    try {
      await mapFileAsync(file.path);
      rejected = await mapFileAsync(temp.dir).catch((error: unknown) => error);
    } finally {
      diagnostics.unsubscribe(MAP_FILE_CHANNEL, onMessage);
    }
    assert.deepEqual(messages, [
      { file: file.path, method: 'mmap', bytes: 5000, async: true, failed: false, error: undefined },
      { file: temp.dir, method: undefined, bytes: 0, async: true, failed: true, error: rejected },
    ]);
  });

  test('mappings are released when their Buffers are collected (child process)', async () => {
    const file = makeLargeFile(temp.dir, 32 * MiB);
    const child = await runChild('map-lifecycle.js', [file.path, '20', 'async']);
    assert.equal(child.code, 0, child.stderr);
    const report = JSON.parse(child.stdout) as Record<'before' | 'whileHeld' | 'afterGc', { mappings: number; rss: number }>;
    assert.equal(report.before.mappings, 0);
    assert.equal(report.whileHeld.mappings, 20);
    assert.equal(report.afterGc.mappings, 0, `every mapping is gone after GC: ${JSON.stringify(report)}`);
  });
});
