/**
 * The generated files: random bytes (so a body from the wrong place of the file, or from another
 * file, cannot match), written through to the disk so the page cache can let go of them, and the
 * way to empty the cache of one: posix_fadvise(POSIX_FADV_DONTNEED), as GNU dd's `iflag=nocache`
 * does it.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface GeneratedFile {
  path: string;
  size: number;
  sha256: string;
}

const CHUNK = 16 << 20;

export function generateFile(dir: string, size: number): GeneratedFile {
  const path = join(dir, `file-${size}.bin`);
  const fd = openSync(path, 'w');
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(Math.min(size, CHUNK));
  try {
    for (let written = 0; written < size; ) {
      const n = Math.min(chunk.length, size - written);
      randomFillSync(chunk, 0, n);
      writeSync(fd, chunk, 0, n);
      hash.update(chunk.subarray(0, n));
      written += n;
    }
    // Dirty pages cannot be dropped from the cache: write them out now.
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { path, size, sha256: hash.digest('hex') };
}

/** SHA-256 of [offset, offset + length) of the file, and whether `head` starts there. */
export function rangeHash(path: string, offset: number, length: number): string {
  const fd = openSync(path, 'r');
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(Math.min(Math.max(length, 1), CHUNK));
  try {
    for (let done = 0; done < length; ) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, length - done), offset + done);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** Where `head` (a body's first bytes) is in the file; -1 if nowhere. Random bytes make the match unique. */
export function offsetOf(path: string, head: Buffer): number {
  if (head.length === 0) return -1;
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK + head.length);
  try {
    for (let position = 0; ; position += CHUNK) {
      const n = readSync(fd, buffer, 0, buffer.length, position);
      if (n < head.length) return -1;
      const at = buffer.subarray(0, n).indexOf(head);
      if (at >= 0) return position + at;
      if (n < buffer.length) return -1;
    }
  } finally {
    closeSync(fd);
  }
}

export interface ColdCache {
  available: boolean;
  method: string;
}

/** Whether files can be evicted here: GNU dd with `iflag=nocache` on Linux. */
export function coldCacheSupport(probe: string): ColdCache {
  if (process.platform !== 'linux') return { available: false, method: `no posix_fadvise eviction on ${process.platform}: cold-cache points are not measured` };
  const result = spawnSync('dd', [`if=${probe}`, 'iflag=nocache', 'count=0', 'status=none'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    return { available: false, method: `GNU dd with iflag=nocache is not available (${result.error?.message ?? result.stderr.trim()}): cold-cache points are not measured` };
  }
  return { available: true, method: 'posix_fadvise(POSIX_FADV_DONTNEED) on the whole file before each cold round (GNU dd iflag=nocache count=0)' };
}

export function evict(path: string): void {
  const result = spawnSync('dd', [`if=${path}`, 'iflag=nocache', 'count=0', 'status=none']);
  if (result.status !== 0) throw new Error(`could not evict ${path} from the page cache: ${result.stderr?.toString().trim()}`);
}
