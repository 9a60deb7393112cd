// Argument checks and file checks happen before anything reaches the target.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as url from 'node:url';
import { after, describe, test } from 'node:test';
import { mapFile, sendFile } from 'zerocopy';
import { makeFile, makeTempDir, receiveAll, sha256, socketPair } from './helpers';

const temp = makeTempDir();
after(() => temp.cleanup());
const small = makeFile(temp.dir, 1000);

/** Runs `attempt` against a fresh socket, then proves nothing was written and the socket still works. */
async function rejectsUntouched(attempt: (socket: import('node:net').Socket) => Promise<unknown>, expected: Record<string, unknown> | ErrorConstructor): Promise<void> {
  const pair = await socketPair();
  try {
    const received = receiveAll(pair.receiver);
    await assert.rejects(attempt(pair.sender), expected as never);
    assert.equal(pair.sender.destroyed, false, 'the target must not be destroyed');
    pair.sender.end('after');
    const got = await received;
    assert.equal(got.content?.toString(), 'after', 'nothing but the later write may arrive');
  } finally {
    pair.close();
  }
}

describe('sendFile argument checks', () => {
  test('a target that is not writable is a TypeError', async () => {
    await assert.rejects(sendFile({} as never, small.path), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    await assert.rejects(sendFile(null as never, small.path), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  });

  test('file must be a path, URL, Buffer, descriptor or FileHandle', async () => {
    await rejectsUntouched((s) => sendFile(s, {} as never), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    await rejectsUntouched((s) => sendFile(s, -1), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    await rejectsUntouched((s) => sendFile(s, 1.5), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  });

  test('start and end must be non-negative integers with end >= start', async () => {
    await rejectsUntouched((s) => sendFile(s, small.path, { start: -1 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    await rejectsUntouched((s) => sendFile(s, small.path, { start: 0.5 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    await rejectsUntouched((s) => sendFile(s, small.path, { end: '9' as never }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    await rejectsUntouched((s) => sendFile(s, small.path, { start: 10, end: 9 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    await rejectsUntouched((s) => sendFile(s, small.path, 'x' as never), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    await rejectsUntouched((s) => sendFile(s, small.path, { signal: {} as never }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  });

  test('a missing file rejects with ENOENT before anything is written', async () => {
    const missing = path.join(temp.dir, 'missing.bin');
    await rejectsUntouched((s) => sendFile(s, missing), { code: 'ENOENT', errno: -2, syscall: 'open', path: missing });
  });

  test('a directory rejects with EISDIR', async () => {
    await rejectsUntouched((s) => sendFile(s, temp.dir), { code: 'EISDIR', errno: -21, syscall: 'sendfile', path: temp.dir });
  });

  test('a FIFO or a device is refused without being opened for reading (which could block), however it is named', { timeout: 60_000 }, async () => {
    const fifo = path.join(temp.dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    try {
      // A path string is opened by the addon where openat2 exists; a Buffer or URL, and any path
      // where it does not (macOS, Linux before 5.12, qemu-user), by fs in the thread pool.
      for (const name of [fifo, Buffer.from(fifo), url.pathToFileURL(fifo)]) {
        await rejectsUntouched((s) => sendFile(s, name), { name: 'TypeError', code: 'ERR_ZEROCOPY_NOT_REGULAR_FILE' });
      }
      await rejectsUntouched((s) => sendFile(s, '/dev/null'), { name: 'TypeError', code: 'ERR_ZEROCOPY_NOT_REGULAR_FILE' });
    } finally {
      // If an open did block waiting for a writer, be that writer, so the failure is reported
      // instead of the blocked thread-pool open holding the process (ENXIO: nothing was waiting).
      try {
        fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
      } catch {}
    }
  });

  test('a range whose first byte the file does not have is not satisfiable (an HTTP 416): start at or past the end, any range of an empty file', async () => {
    await rejectsUntouched((s) => sendFile(s, small.path, { start: 1001 }), { name: 'RangeError', code: 'ERR_ZEROCOPY_RANGE_NOT_SATISFIABLE', size: 1000 });
    await rejectsUntouched((s) => sendFile(s, small.path, { start: 1000 }), { name: 'RangeError', code: 'ERR_ZEROCOPY_RANGE_NOT_SATISFIABLE', size: 1000 });
    await rejectsUntouched((s) => sendFile(s, small.path, { start: 1000, end: 2000 }), { name: 'RangeError', code: 'ERR_ZEROCOPY_RANGE_NOT_SATISFIABLE', size: 1000 });
    const empty = path.join(temp.dir, 'empty-ranged');
    fs.writeFileSync(empty, '');
    await rejectsUntouched((s) => sendFile(s, empty, { start: 0 }), { name: 'RangeError', code: 'ERR_ZEROCOPY_RANGE_NOT_SATISFIABLE', size: 0 });
    await rejectsUntouched((s) => sendFile(s, empty, { end: 99 }), { name: 'RangeError', code: 'ERR_ZEROCOPY_RANGE_NOT_SATISFIABLE', size: 0 });
  });

  test('without a range the whole file is sent, even an empty one; the last byte alone is a range', async () => {
    const empty = path.join(temp.dir, 'empty-whole');
    fs.writeFileSync(empty, '');
    const pair = await socketPair();
    try {
      const received = receiveAll(pair.receiver);
      assert.deepEqual(await sendFile(pair.sender, empty), { bytes: 0, method: 'sendfile' });
      assert.equal((await sendFile(pair.sender, small.path, { start: 999 })).bytes, 1);
      assert.equal((await sendFile(pair.sender, small.path, { start: 999, end: 5000 })).bytes, 1);
      pair.sender.end();
      assert.ok((await received).content?.equals(Buffer.concat([small.content.subarray(999), small.content.subarray(999)])));
    } finally {
      pair.close();
    }
  });

  test('an already aborted signal rejects with AbortError and leaves the target alone', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await rejectsUntouched((s) => sendFile(s, small.path, { signal: controller.signal }), { name: 'AbortError', code: 'ABORT_ERR' });
  });

  test('a target that was already ended rejects with ERR_STREAM_WRITE_AFTER_END and no error event', async () => {
    const pair = await socketPair();
    try {
      pair.sender.end();
      let errorEvents = 0;
      pair.sender.on('error', () => errorEvents++);
      await assert.rejects(sendFile(pair.sender, small.path), { code: 'ERR_STREAM_WRITE_AFTER_END' });
      assert.equal(errorEvents, 0);
    } finally {
      pair.close();
    }
  });

  test('a descriptor or FileHandle passed in stays open; a path opened by sendFile is closed', async () => {
    const pair = await socketPair();
    try {
      const received = receiveAll(pair.receiver);
      const fd = fs.openSync(small.path, 'r');
      const handle = await fs.promises.open(small.path, 'r');
      await sendFile(pair.sender, fd);
      await sendFile(pair.sender, handle);
      assert.equal(fs.fstatSync(fd).size, 1000, 'the descriptor is still open');
      assert.equal((await handle.stat()).size, 1000, 'the FileHandle is still open');
      fs.closeSync(fd);
      await handle.close();
      pair.sender.end();
      assert.equal((await received).sha256, sha256(small.content, small.content));
    } finally {
      pair.close();
    }
  });
});

describe('mapFile argument and file checks', () => {
  test('an empty file is an empty Buffer, as fs.readFile returns; a path, a descriptor and a FileHandle alike', async () => {
    const empty = path.join(temp.dir, 'empty');
    fs.writeFileSync(empty, '');
    assert.deepEqual(fs.readFileSync(empty), Buffer.alloc(0));
    assert.deepEqual(mapFile(empty), Buffer.alloc(0));
    const fd = fs.openSync(empty, 'r');
    const handle = await fs.promises.open(empty, 'r');
    try {
      assert.deepEqual(mapFile(fd), Buffer.alloc(0));
      assert.deepEqual(mapFile(handle), Buffer.alloc(0));
    } finally {
      fs.closeSync(fd);
      await handle.close();
    }
  });

  test('a directory is EISDIR and a missing file ENOENT, with errno, syscall and path like fs', () => {
    assert.throws(() => mapFile(temp.dir), { code: 'EISDIR', errno: -21, syscall: 'mmap', path: temp.dir });
    assert.throws(() => mapFile(Buffer.from(temp.dir)), { code: 'EISDIR', errno: -21, syscall: 'mmap', path: temp.dir });
    const missing = path.join(temp.dir, 'nope');
    assert.throws(() => mapFile(missing), { code: 'ENOENT', errno: -2, syscall: 'open', path: missing });
  });

  test('a file larger than a Buffer can be is a RangeError', () => {
    const huge = path.join(temp.dir, 'huge-sparse');
    const fd = fs.openSync(huge, 'w');
    fs.ftruncateSync(fd, 2 ** 42); // sparse: 4 TiB that use no disk
    fs.closeSync(fd);
    // fs.readFile's own code for a file too large for a Buffer, so one error branch handles both.
    assert.throws(() => fs.readFileSync(huge), { name: 'RangeError', code: 'ERR_FS_FILE_TOO_LARGE' });
    assert.throws(() => mapFile(huge), { name: 'RangeError', code: 'ERR_FS_FILE_TOO_LARGE', size: 2 ** 42 });
  });

  test('options are checked', () => {
    assert.throws(() => mapFile(small.path, { populate: 1 as never }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    assert.throws(() => mapFile(42.5), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    assert.throws(() => mapFile(undefined as never), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  });
});
