/**
 * `zerocopy/runtimeInfo`: the real server over stdio says what the bundled runtime can do on this
 * machine, learnt from a child process, so that the server itself never loads the addon (its SIGBUS
 * handler, a broken binary); a probe that fails is reported as the fallback it means.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { available } from 'zerocopy';
import { RuntimeInfoRequest, type RuntimeInfo } from '../../server/src/protocol';
import { createRuntimeInfo } from '../../server/src/lsp/runtimeInfo';
import { CLI, CLIENT_CAPABILITIES, LspClient } from './support/lspClient';
import { tempProject } from './support/tempProject';

const ws = tempProject({ 'src/clean.js': 'module.exports = 1;\n' });
after(() => ws.remove());

async function serverAnswering(env: NodeJS.ProcessEnv = {}): Promise<{ client: LspClient; info: RuntimeInfo }> {
  const client = LspClient.start(env);
  await client.call('initialize', { processId: process.pid, rootUri: pathToFileURL(ws.root).href, capabilities: CLIENT_CAPABILITIES });
  client.notify('initialized', {});
  const info = (await client.call(RuntimeInfoRequest, undefined, 30_000)) as RuntimeInfo;
  return { client, info };
}

describe('zerocopy/runtimeInfo over stdio', () => {
  test('reports what the runtime loaded here does, from a child process: the server never maps the addon', async () => {
    const { client, info } = await serverAnswering();
    try {
      assert.equal(available.loaded, true, available.reason);
      // The runtime the CLI resolves (dist/node_modules/zerocopy once packaged, else the workspace's), with this platform's prebuild.
      const runtimeDir = dirname(require.resolve('zerocopy/package.json', { paths: [dirname(CLI)] }));
      assert.deepEqual(info, {
        platform: process.platform,
        arch: process.arch,
        node: process.version,
        loaded: true,
        path: join(runtimeDir, 'prebuilds', `${process.platform}-${process.arch}`, basename(available.path ?? '')),
        sendfile: available.sendfile,
        mmap: available.mmap,
        sigbusGuard: available.sigbusGuard,
      });
      // The language server's own memory map has no .node file: the addon was loaded by the probe only.
      const maps = readFileSync(`/proc/${client.process.pid}/maps`, 'utf8');
      assert.doesNotMatch(maps, /\.node$/m);
      // Asked again, the same answer without another probe.
      assert.deepEqual(await client.call(RuntimeInfoRequest), info);
    } finally {
      await client.stop();
    }
  });

  test('reports the fallback and the loader\'s reason when the addon does not load', async () => {
    const { client, info } = await serverAnswering({ ZEROCOPY_BINDING: 'none' });
    try {
      assert.deepEqual(info, {
        platform: process.platform,
        arch: process.arch,
        node: process.version,
        loaded: false,
        reason: 'disabled by ZEROCOPY_BINDING=none',
        sendfile: false,
        mmap: false,
        sigbusGuard: false,
      });
    } finally {
      await client.stop();
    }
  });
});

describe('the runtime probe', () => {
  test('runs once however often it is asked', async () => {
    let runs = 0;
    const info = createRuntimeInfo(async () => {
      runs++;
      return JSON.stringify({ platform: 'linux', arch: 'x64', node: 'v20.0.0', loaded: true, sendfile: true, mmap: true, sigbusGuard: true });
    });
    const [a, b] = await Promise.all([info(), info()]);
    assert.equal(runs, 1);
    assert.deepEqual(a, b);
  });

  test('a probe that fails (a crash while loading, a timeout) is the fallback, with why', async () => {
    const info = await createRuntimeInfo(() => Promise.reject(new Error('Command failed: node cli.js runtime-info --json (signal SIGSEGV)')))();
    assert.deepEqual(info, {
      platform: process.platform,
      arch: process.arch,
      node: process.version,
      loaded: false,
      reason: 'the runtime probe failed: Command failed: node cli.js runtime-info --json (signal SIGSEGV)',
      sendfile: false,
      mmap: false,
      sigbusGuard: false,
    });
  });
});
