import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TRANSFER_COSTS,
  STREAM_HIGH_WATER_MARK,
  describeHeap,
  formatBytes,
  heapAfter,
  heapToday,
  pathAfter,
  pathToday,
} from '../../server/src/report/copyCost';
import { evaluateSize, heapHints } from '../../server/src/report/heapHints';
import { RECOMMENDATIONS } from '../../server/src/engine';
import { finding } from './support/findings';

test('the seed facts: read+write 4 copies 2 syscalls, mmap+write 3 copies, sendfile 2 copies 1 syscall none on the CPU', () => {
  assert.deepEqual(
    { copies: TRANSFER_COSTS['read-write'].copies, syscalls: TRANSFER_COSTS['read-write'].syscallsPerChunk },
    { copies: 4, syscalls: 2 },
  );
  assert.equal(TRANSFER_COSTS['mmap-write'].copies, 3);
  assert.deepEqual(
    { copies: TRANSFER_COSTS.sendfile.copies, syscalls: TRANSFER_COSTS.sendfile.syscallsPerChunk, cpu: TRANSFER_COSTS.sendfile.cpuCopies },
    { copies: 2, syscalls: 1, cpu: 0 },
  );
});

test('every path has no more CPU copies than copies, and every rewrite is no worse than today', () => {
  const today = TRANSFER_COSTS[pathToday(finding({ fileName: '/p/a.js' }))];
  for (const recommendation of RECOMMENDATIONS) {
    const after = TRANSFER_COSTS[pathAfter(recommendation)];
    assert.ok(after.cpuCopies <= after.copies, recommendation);
    assert.ok(after.copies <= today.copies, recommendation);
    assert.ok(after.syscallsPerChunk <= today.syscallsPerChunk, recommendation);
  }
});

test('each recommendation maps to its path', () => {
  assert.deepEqual(
    RECOMMENDATIONS.map((r) => pathAfter(r)),
    ['sendfile', 'mmap-write', 'read-write', 'respond-with-file', 'copy-file'],
  );
});

test('heap held today: whole file, the stream highWaterMark (64 KiB by default, or as written), the loop buffer', () => {
  assert.deepEqual(heapToday(finding({ fileName: '/a.js' })), { kind: 'whole-file' });
  const stream = finding({ fileName: '/a.js', rule: 'stream-to-socket', holds: 'chunk' });
  assert.deepEqual(heapToday(stream), { kind: 'bytes', bytes: STREAM_HIGH_WATER_MARK, why: "the stream's default highWaterMark" });
  assert.equal(STREAM_HIGH_WATER_MARK, 65536);
  assert.deepEqual(heapToday(stream, { highWaterMark: 1 << 20 }), { kind: 'bytes', bytes: 1048576, why: "the stream's highWaterMark" });
  const loop = finding({ fileName: '/a.js', rule: 'read-loop-to-socket', holds: 'chunk' });
  assert.deepEqual(heapToday(loop, { bufferSize: 16384 }), { kind: 'bytes', bytes: 16384, why: 'the read buffer' });
  assert.deepEqual(heapToday(loop), { kind: 'unknown-buffer' });
});

test('heap held after the rewrite', () => {
  assert.equal(heapAfter('sendfile').kind, 'none');
  assert.equal(heapAfter('mmap').kind, 'none');
  assert.deepEqual(heapAfter('stream'), { kind: 'bytes', bytes: 65536, why: "the stream's default highWaterMark" });
  assert.equal(describeHeap(heapAfter('sendfile')), '0 bytes (the kernel moves the bytes)');
  assert.equal(describeHeap({ kind: 'whole-file' }), 'the whole file (N bytes for an N-byte file)');
});

test('formatBytes', () => {
  assert.equal(formatBytes(65536), '64 KiB');
  assert.equal(formatBytes(1048576), '1 MiB');
  assert.equal(formatBytes(1000), '1000 bytes');
});

test('size expressions: literals, products, shifts, hex, separators, one const indirection; nothing else', () => {
  assert.equal(evaluateSize('65536'), 65536);
  assert.equal(evaluateSize('64 * 1024'), 65536);
  assert.equal(evaluateSize('1 << 20'), 1048576);
  assert.equal(evaluateSize('0x10000'), 65536);
  assert.equal(evaluateSize('65_536'), 65536);
  assert.equal(evaluateSize('CHUNK', 'const CHUNK = 16 * 1024;'), 16384);
  assert.equal(evaluateSize('size'), undefined);
  assert.equal(evaluateSize('n + 1'), undefined);
  assert.equal(evaluateSize('stat.size'), undefined);
});

test('heap hints read highWaterMark from the call and the read buffer from the code before it', () => {
  const text = [
    "const fs = require('fs');",
    'const buf = Buffer.alloc(32 * 1024);',
    "fs.createReadStream(p, { highWaterMark: 1 << 20 }).pipe(res);",
    "fs.read(fd, buf, 0, buf.length, null, cb);",
  ].join('\n');
  assert.deepEqual(heapHints(text, { line: 2, character: 0 }), { highWaterMark: 1048576, bufferSize: 32768 });
  assert.deepEqual(heapHints(text, { line: 3, character: 0 }), { bufferSize: 32768 });
  // The highWaterMark of a later call is not this call's.
  assert.deepEqual(heapHints("fs.createReadStream(p).pipe(res); fs.createReadStream(q, { highWaterMark: 10 })", { line: 0, character: 0 }), {});
});

test('a buffer sized with Math.min is bounded by its constant argument', () => {
  const text = ['while (position < size) {', '  const chunk = Buffer.allocUnsafe(Math.min(1 << 20, size - position));', '  await fh.read(chunk, 0, chunk.length, position);'].join('\n');
  const hints = heapHints(text, { line: 2, character: 8 });
  assert.deepEqual(hints, { bufferSize: 1048576, bufferSizeIsUpperBound: true });
  const loop = finding({ fileName: '/a.js', rule: 'read-loop-to-socket', holds: 'chunk' });
  assert.equal(describeHeap(heapToday(loop, hints)), '1 MiB (the read buffer, at most)');
  assert.deepEqual(heapHints('const b = Buffer.alloc(size);\nfs.readSync(fd, b);', { line: 1, character: 0 }), {});
});
