/**
 * The `zerocopy` npm package as `npm pack` makes it (its prepack builds the prebuilds that are
 * stale): it carries all five prebuilds under prebuilds/<platform>-<arch>/ with node-gyp-build's
 * names, and installing it here needs no compiler: its install script (node-gyp-build) finds the
 * linux-x64 prebuild loadable and builds nothing. The other platforms pick theirs the same way
 * (90.windows and 91.linux-arm64 load them through node-gyp-build's matching).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { makeTempDir } from './helpers';
import { PREBUILD_TARGETS, prebuildToolsMissing, skipUnless } from './runtimes';

const packageDir = path.dirname(require.resolve('zerocopy/package.json'));
const temp = makeTempDir();
after(() => temp.cleanup());

const missing = PREBUILD_TARGETS.flatMap((target) => prebuildToolsMissing(target));
const EXPECTED_PREBUILDS = [
  'prebuilds/darwin-arm64/zerocopy.node',
  'prebuilds/darwin-x64/zerocopy.node',
  'prebuilds/linux-arm64/zerocopy.glibc.node',
  'prebuilds/linux-x64/zerocopy.glibc.node',
  'prebuilds/win32-x64/zerocopy.node',
];

describe('the zerocopy npm package', { skip: skipUnless(missing.length === 0, `the prebuild toolchains (${[...new Set(missing)].join(', ')})`) }, () => {
  let tarball: string;

  test('npm pack carries the five prebuilds, the sources to build elsewhere, and no build output', () => {
    const r = spawnSync('npm', ['pack', '--json', '--pack-destination', temp.dir], { cwd: packageDir, encoding: 'utf8', timeout: 600_000 });
    assert.equal(r.status, 0, r.stderr);
    const [packed] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as { filename: string; size: number; files: { path: string }[] }[];
    tarball = path.join(temp.dir, packed!.filename);
    const files = packed!.files.map((f) => f.path);
    assert.deepEqual(files.filter((f) => f.startsWith('prebuilds/')).sort(), EXPECTED_PREBUILDS);
    for (const f of ['binding.gyp', 'src/addon.cc', 'dist/index.js', 'dist/index.d.ts', 'package.json', 'README.md']) assert.ok(files.includes(f), `${f} is packed`);
    assert.deepEqual(files.filter((f) => /^(build|scripts|bench|node_modules)\//.test(f)), []);
    console.log(`# ${packed!.filename}: ${(packed!.size / 1024).toFixed(0)} KiB, ${files.length} files`);
  });

  test('npm install of the tarball builds nothing: node-gyp-build takes the linux-x64 prebuild', () => {
    assert.ok(tarball, 'packed by the test above');
    const project = path.join(temp.dir, 'app');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    // No compiler: had the install script (node-gyp-build) found no loadable prebuild, node-gyp's
    // make would run this "compiler" and the install would fail (as it does without prebuilds).
    const r = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--foreground-scripts', tarball], {
      cwd: project,
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, CC: '/bin/false', CXX: '/bin/false' },
    });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /> zerocopy@[\d.]+ install\n> node-gyp-build/, 'the install script ran');
    assert.doesNotMatch(r.stdout + r.stderr, /gyp info/, 'and did not start node-gyp');
    const installed = path.join(project, 'node_modules', 'zerocopy');
    assert.equal(fs.existsSync(path.join(installed, 'build')), false, 'no node-gyp build folder');
    const probe = spawnSync(process.execPath, ['-p', "JSON.stringify(require('zerocopy').available)"], { cwd: project, encoding: 'utf8' });
    assert.equal(probe.status, 0, probe.stderr);
    const available = JSON.parse(probe.stdout) as { loaded: boolean; path?: string; sendfile: boolean; mmap: boolean };
    assert.deepEqual(available, {
      loaded: true,
      path: path.join(fs.realpathSync(installed), 'prebuilds', 'linux-x64', 'zerocopy.glibc.node'),
      sendfile: true,
      mmap: true,
      sigbusGuard: true,
    });
  });
});
