// Loading the addon: prebuilds first, then a local build, then a pure-TS fallback that still works.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { available } from 'zerocopy';
import { KiB, makeFile, makeTempDir, runChild, sha256, stagePackage } from './helpers';

const packageDir = path.dirname(require.resolve('zerocopy/package.json'));
const temp = makeTempDir();
after(() => temp.cleanup());

async function availabilityOf(dir: string, env: NodeJS.ProcessEnv = {}): Promise<typeof available> {
  const child = await runChild('report-availability.js', [dir], env);
  assert.equal(child.code, 0, child.stderr);
  return JSON.parse(child.stdout) as typeof available;
}

describe('loading the addon', () => {
  test('the built package loads its prebuild for this platform and reports every capability', () => {
    assert.equal(available.loaded, true, available.reason);
    assert.equal(available.reason, undefined);
    assert.equal(path.dirname(available.path ?? ''), path.join(packageDir, 'prebuilds', `${process.platform}-${process.arch}`));
    assert.equal(available.sendfile, true);
    assert.equal(available.mmap, true);
    assert.equal(available.sigbusGuard, true);
  });

  test('a prebuild wins over a local build', async () => {
    // prebuildify moves the compiled binary out of build/Release; a local build is the same file.
    const dir = stagePackage(path.join(temp.dir, 'both'), true, available.path);
    const report = await availabilityOf(dir);
    assert.equal(report.loaded, true);
    assert.match(report.path ?? '', /[/\\]prebuilds[/\\]/);
  });

  test('without a prebuild, the local node-gyp build is used', async () => {
    const dir = stagePackage(path.join(temp.dir, 'local-only'), false, available.path);
    const report = await availabilityOf(dir);
    assert.equal(report.loaded, true);
    assert.equal(report.path, path.join(dir, 'build', 'Release', 'zerocopy.node'));
  });

  test('with no binary at all, the package still loads and says why', async () => {
    const dir = stagePackage(path.join(temp.dir, 'none'), false);
    const report = await availabilityOf(dir);
    assert.equal(report.loaded, false);
    assert.match(report.reason ?? '', /No native build was found/);
    assert.equal(report.sendfile, false);
    assert.equal(report.mmap, false);
  });

  test('ZEROCOPY_BINDING overrides the search, and "none" disables the addon', async () => {
    const elsewhere = path.join(temp.dir, 'elsewhere.node');
    fs.copyFileSync(available.path ?? '', elsewhere);
    const explicit = await availabilityOf(packageDir, { ZEROCOPY_BINDING: elsewhere });
    assert.equal(explicit.path, elsewhere);
    const disabled = await availabilityOf(packageDir, { ZEROCOPY_BINDING: 'none' });
    assert.deepEqual({ loaded: disabled.loaded, reason: disabled.reason }, { loaded: false, reason: 'disabled by ZEROCOPY_BINDING=none' });
    const broken = await availabilityOf(packageDir, { ZEROCOPY_BINDING: path.join(temp.dir, 'missing.node') });
    assert.equal(broken.loaded, false);
    assert.match(broken.reason ?? '', /could not load .*missing\.node/);
  });

  test('when the addon fails to load, sendFile streams the same bytes and mapFile and mapFileAsync return private copies', async () => {
    const file = makeFile(temp.dir, 300 * KiB + 7);
    const child = await runChild('send-without-addon.js', [file.path], { ZEROCOPY_BINDING: path.join(temp.dir, 'missing.node') });
    assert.equal(child.code, 0, child.stderr);
    const report = JSON.parse(child.stdout) as {
      available: typeof available;
      result: { bytes: number; method: string };
      received: { bytes: number; sha256: string };
      mapped: { length: number; fileUnchanged: boolean; restEqual: boolean };
      mappedAsync: { equal: boolean };
    };
    assert.equal(report.available.loaded, false);
    assert.deepEqual(report.result, { bytes: file.content.length, method: 'stream' });
    assert.deepEqual(report.received, { bytes: file.content.length, sha256: sha256(file.content) });
    assert.deepEqual(report.mapped, { length: file.content.length, fileUnchanged: true, restEqual: true });
    assert.deepEqual(report.mappedAsync, { equal: true });
  });
});
