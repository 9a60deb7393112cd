/**
 * Generated files live in a folder per run, named after the orchestrating process; a run whose
 * process died leaves its folder, and the next run removes every folder whose process is gone —
 * and none of a process still running.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRunDir, removeRunDir, sweepStaleRunDirs } from '../../server/src/bench/run/runDir';
import { tempProject } from '../lsp/support/tempProject';

test('a stale run folder (its process gone) is swept; a live one is kept', (t) => {
  const tmp = tempProject();
  t.after(() => tmp.remove());
  // A pid that surely is gone: a process that ran and exited.
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  const stale = join(tmp.root, `zerocopy-bench-${gone}-abc123`);
  const live = join(tmp.root, `zerocopy-bench-${process.pid}-def456`);
  const other = join(tmp.root, 'not-ours-1');
  for (const dir of [stale, live, other]) {
    mkdirSync(dir);
    writeFileSync(join(dir, 'file-65536.bin'), Buffer.alloc(16));
  }
  assert.deepEqual(sweepStaleRunDirs(tmp.root), [stale]);
  assert.equal(existsSync(stale), false);
  assert.equal(existsSync(live), true);
  assert.equal(existsSync(other), true);
});

test('a run folder is made in the OS temp directory, named after this process, and removed with its files', () => {
  const dir = createRunDir();
  assert.match(dir, new RegExp(`zerocopy-bench-${process.pid}-`));
  writeFileSync(join(dir, 'file-1.bin'), Buffer.alloc(1));
  removeRunDir(dir);
  assert.equal(existsSync(dir), false);
});
