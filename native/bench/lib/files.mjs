// Benchmark files on a real disk file system (not tmpfs), kept in the page cache.
//
// Page-cache care (see BENCHMARKING.md): an idle file's pages get evicted after
// about a minute, and a re-read builds small folios that make sendfile slower.
// So each block of runs starts by rewriting the file with `cp`, and each run
// starts by reading it once; residency is recorded with fincore.
import { execFileSync, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function dataDir(repoRoot) {
  const dir = path.join(repoRoot, '.cache', 'native-bench');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The pristine copy of a file of `size` random bytes, made once. */
function source(dir, size) {
  const file = path.join(dir, `source-${size}.bin`);
  if (fs.existsSync(file) && fs.statSync(file).size === size) return file;
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.allocUnsafe(Math.min(size, 16 << 20));
  for (let written = 0; written < size; written += chunk.length) {
    crypto.randomFillSync(chunk);
    fs.writeSync(fd, chunk, 0, Math.min(chunk.length, size - written));
  }
  fs.closeSync(fd);
  return file;
}

/** Rewrites the benchmark file of `size` bytes (fresh page-cache pages); returns its path. */
export function freshFile(dir, size, name = `file-${size}.bin`) {
  const file = path.join(dir, name);
  fs.rmSync(file, { force: true });
  execFileSync('cp', [source(dir, size), file]);
  return file;
}

/** Reads the file once so the run starts from the page cache. */
export function warm(file) {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(8 << 20);
  while (fs.readSync(fd, buffer, 0, buffer.length, null) > 0);
  fs.closeSync(fd);
}

/** Fraction of the file resident in the page cache (fincore), or NaN if unknown. */
export function residency(file) {
  const result = spawnSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', file], { encoding: 'utf8' });
  if (result.status !== 0) return NaN;
  return Number(result.stdout.trim()) / fs.statSync(file).size;
}
