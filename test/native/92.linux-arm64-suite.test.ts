/**
 * The native suite itself on linux-arm64: every file 00–89 of this folder (load, arguments,
 * sockets, HTTP/1 and HTTP/2, fallback, diagnostics channel, errors, concurrency, mapFile,
 * mapFileAsync, growth) run in the registry's arm64 Node 20 under Debian's qemu-user-static, each
 * directly (`qemu-aarch64-static -L /usr/aarch64-linux-gnu node --expose-gc FILE`; `node --test`
 * would start its children with process.execPath, which is not runnable without binfmt_misc),
 * against the zerocopy the packaged linux-arm64 .vsix carries (its prebuild, no build/ folder),
 * with ZC_TEST_NODE telling the files to start their children the same way. The files 90 and up
 * are about the host: other platforms, other Node majors, building, packaging.
 *
 * What qemu-user cannot show is excused by name below (RESIDENT_MEMORY_SKIPS), nothing else: the
 * system calls are the host kernel's, through qemu's translation, so this proves the arm64 binary,
 * its ABI and the runtime's behaviour in an arm64 Node, not an arm64 kernel.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { ensureFreshVsix, unpackVsix } from '../e2e/support/vsix';
import { REPO_ROOT } from '../e2e/support/paths';
import { makeTempDir } from './helpers';
import { arm64Node, ensurePrebuild, prebuildToolsMissing, skipUnless } from './runtimes';

const temp = makeTempDir();
after(() => temp.cleanup());

const arm64 = arm64Node();
const ready = arm64 && prebuildToolsMissing('linux-arm64').length === 0 ? arm64 : undefined;

/**
 * The tests that skip under qemu, by file: each checks everything else first and then skips its
 * resident-memory assertions, because qemu-user emulates /proc/self/stat and /proc/self/smaps with
 * no resident memory (helpers.ts, residentMemoryHidden). Nothing else may skip.
 */
const RESIDENT_MEMORY_SKIPS: Record<string, string[]> = {
  '70.map-file.test.js': ['mappings are released when their Buffers are collected (child process)'],
  '75.map-file-async.test.js': ['a large file (64 MiB) is exact, and its pages are resident before the Buffer is read; with populate: false they are not'],
  '80.growth.test.js': [
    '100,000 small transfers on one socket (sendfile): no descriptor or RSS growth, every byte delivered',
    '100,000 small transfers on one socket (streaming): no descriptor or RSS growth, every byte delivered',
  ],
};

/** Each file may take this long under qemu (the slowest, 80.growth, takes about 1.5 minutes here). */
const FILE_TIME_LIMIT_MS = 15 * 60_000;

/** The suite's files: the compiled tests 00–89 whose source still exists (as scripts/run-tests.mjs picks them). */
const SUITE = fs
  .readdirSync(__dirname)
  .filter((name) => /^[0-8]\d\..+\.test\.js$/.test(name) && fs.existsSync(path.join(REPO_ROOT, 'test', 'native', name.replace(/\.js$/, '.ts'))))
  .sort();

interface FileOutcome {
  pass: number;
  skipped: string[];
  seconds: number;
}

/** Counts a TAP summary line (`# pass 12`). */
function count(tap: string, what: string): number | undefined {
  const m = new RegExp(`^# ${what} (\\d+)$`, 'm').exec(tap);
  return m ? Number(m[1]) : undefined;
}

const sha256 = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('the native suite in arm64 Node under qemu, against the packaged linux-arm64 .vsix', { skip: skipUnless(ready, 'qemu-user-static, arm64 Node and the aarch64 cross compiler') }, () => {
  let stage = '';
  let env: NodeJS.ProcessEnv = {};
  const outcomes = new Map<string, FileOutcome>();

  test('the staged suite loads the .vsix\'s linux-arm64 prebuild, the one built from this checkout', () => {
    assert.ok(ready, 'qemu-user-static, arm64 Node and the aarch64 toolchain must be installed in CI: run .ci/setup-runtimes.sh');
    assert.ok(SUITE.includes('00.load.test.js') && SUITE.includes('80.growth.test.js'), SUITE.join(', '));
    const prebuild = ensurePrebuild('linux-arm64');
    const extension = unpackVsix(ensureFreshVsix('linux-arm64'), path.join(temp.dir, 'vsix'));
    const modules = path.join(extension, 'dist', 'node_modules');
    const packaged = path.join(modules, 'zerocopy', 'prebuilds', 'linux-arm64', 'zerocopy.glibc.node');
    assert.equal(sha256(packaged), sha256(prebuild), 'the .vsix carries the prebuild native/scripts/prebuilds.mjs built');
    assert.deepEqual(fs.readdirSync(path.join(modules, 'zerocopy', 'prebuilds')), ['linux-arm64']);
    assert.equal(fs.existsSync(path.join(modules, 'zerocopy', 'build')), false, 'no local build for node-gyp-build to prefer');
    // The compiled tests and their children, where `zerocopy` resolves to the packaged one.
    stage = path.join(temp.dir, 'suite');
    fs.cpSync(__dirname, path.join(stage, 'native'), { recursive: true, filter: (source) => !source.endsWith('.map') });
    fs.symlinkSync(modules, path.join(stage, 'node_modules'));
    // The runner's own variables would make node:test in the child talk to a parent runner.
    env = { ...process.env, ZC_TEST_NODE: JSON.stringify(ready.command), ZC_TEST_UNDER_QEMU: '1' };
    delete env.NODE_TEST_CONTEXT;
    const [command, ...args] = ready.command;
    const r = spawnSync(command!, [...args, path.join(stage, 'native', 'children', 'report-availability.js')], { cwd: stage, env, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, `${r.error ?? ''}${r.stderr}`);
    assert.deepEqual(JSON.parse(r.stdout), { loaded: true, path: packaged, sendfile: true, mmap: true, sigbusGuard: true });
  });

  for (const file of SUITE) {
    test(`${file}: every test passes in arm64 Node`, (t) => {
      assert.ok(ready && stage, 'the suite was staged');
      const [command, ...args] = ready.command;
      const started = process.hrtime.bigint();
      const r = spawnSync(command!, [...args, '--test-reporter=tap', path.join(stage, 'native', file)], {
        cwd: stage,
        env,
        encoding: 'utf8',
        timeout: FILE_TIME_LIMIT_MS,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const tap = `${r.stdout}${r.stderr}`;
      assert.equal(r.error, undefined, `${file} did not finish within ${FILE_TIME_LIMIT_MS / 60_000} min: ${r.error}\n${tap}`);
      assert.equal(r.status, 0, tap);
      assert.equal(count(tap, 'fail'), 0, tap);
      assert.equal(count(tap, 'cancelled'), 0, tap);
      const pass = count(tap, 'pass') ?? 0;
      const skipped = [...tap.matchAll(/^\s*ok \d+ - (.+?) # SKIP(.*)$/gm)].map((m) => ({ name: m[1], reason: m[2] }));
      assert.deepEqual(skipped.map((s) => s.name), RESIDENT_MEMORY_SKIPS[file] ?? [], `only the listed tests may skip:\n${tap}`);
      for (const s of skipped) assert.match(s.reason, /qemu-user emulates \/proc\/self\/stat and \/proc\/self\/smaps/);
      assert.equal(count(tap, 'skipped'), skipped.length, tap);
      assert.equal(count(tap, 'tests'), pass + skipped.length, tap);
      assert.ok(pass + skipped.length > 0, tap);
      outcomes.set(file, { pass, skipped: skipped.map((s) => s.name), seconds });
      t.diagnostic(`${file}: ${pass} passed, ${skipped.length} ran but for their resident-memory assertions (skipped), in ${seconds.toFixed(1)} s`);
    });
  }

  test('every file ran; the time the suite took under qemu', (t) => {
    assert.deepEqual([...outcomes.keys()], SUITE);
    const all = [...outcomes.values()];
    const total = (key: 'pass' | 'seconds'): number => all.reduce((sum, o) => sum + o[key], 0);
    const skipped = all.reduce((sum, o) => sum + o.skipped.length, 0);
    const line = `arm64 suite under qemu: ${SUITE.length} files, ${total('pass')} tests passed, ${skipped} ran but for their resident-memory assertions (skipped), in ${total('seconds').toFixed(0)} s`;
    t.diagnostic(line);
    console.log(line);
  });
});
