/**
 * What the extension tells a user about the runtime (client/src/runtimeInfo.ts), for each kind of
 * machine the runtime reports: everything available, the addon missing (the loader's reason), and
 * the addon loaded on a platform without sendfile or mmap (Windows). The real VS Code shows the
 * first (test/e2e); these are the words for the others.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeRuntime } from '../../client/src/runtimeInfo';
import type { RuntimeInfo } from '../../server/src/protocol';

const base = { node: 'v20.20.2', sigbusGuard: false } as const;

test('sendfile and mmap available: said once, with the addon in use', () => {
  const info: RuntimeInfo = { ...base, platform: 'darwin', arch: 'arm64', loaded: true, path: '/x/prebuilds/darwin-arm64/zerocopy.node', sendfile: true, mmap: true, sigbusGuard: true };
  assert.deepEqual(describeRuntime(info), {
    log: 'zerocopy runtime on darwin-arm64 (Node v20.20.2): sendfile and mmap available, SIGBUS guard on; addon /x/prebuilds/darwin-arm64/zerocopy.node',
    tooltip: 'Runtime on darwin-arm64: **sendfile** and **mmap** available',
  });
});

test('no prebuild for the platform: the fallback, and the first line of the loader\'s reason', () => {
  const reason = 'No native build was found for platform=linux arch=riscv64 runtime=node abi=115 uv=1 libc=glibc node=20.20.2\n    loaded from: /x/zerocopy';
  const info: RuntimeInfo = { ...base, platform: 'linux', arch: 'riscv64', loaded: false, reason, sendfile: false, mmap: false };
  const view = describeRuntime(info);
  assert.equal(view.log, `zerocopy runtime on linux-riscv64 (Node v20.20.2): fallback, sendFile streams and mapFile copies: ${reason.split('\n')[0]}`);
  assert.equal(view.tooltip, 'Runtime on linux-riscv64: **fallback**, sendFile streams and mapFile copies — No native build was found for platform=linux arch=riscv64 runtime=node abi=115 uv=1 libc=glibc node=20.20.2');
});

test('a reason with markdown in it is shown as text', () => {
  const info: RuntimeInfo = { ...base, platform: 'linux', arch: 'x64', loaded: false, reason: 'could not load /tmp/[a]*b*.node', sendfile: false, mmap: false };
  assert.match(describeRuntime(info).tooltip, /could not load \/tmp\/\\\[a\\\]\\\*b\\\*\.node$/);
});

test('Windows: the addon loads, but there is no sendfile or mmap it uses', () => {
  const info: RuntimeInfo = { ...base, platform: 'win32', arch: 'x64', loaded: true, path: 'C:\\x\\zerocopy.node', sendfile: false, mmap: false };
  assert.deepEqual(describeRuntime(info), {
    log: 'zerocopy runtime on win32-x64 (Node v20.20.2): fallback, sendFile streams and mapFile copies: the addon loaded, but on win32 it has no sendfile or mmap',
    tooltip: 'Runtime on win32-x64: **fallback**, sendFile streams and mapFile copies — the addon loaded, but on win32 it has no sendfile or mmap',
  });
});
