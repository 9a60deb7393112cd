/**
 * The numbers a hover shows: what moving one chunk of a file to a socket costs on each path,
 * and how much of the file the JS heap holds per request.
 *
 * Copies count every move of a chunk's bytes, by DMA or by the CPU:
 * - read() + write(): disk -> page cache (DMA), page cache -> JS buffer (CPU, in read),
 *   JS buffer -> socket buffer (CPU, in write), socket buffer -> NIC (DMA). 4 copies, 2 syscalls.
 * - mmap() + write(): the mapping is the page cache, so the copy into user space goes away:
 *   3 copies, 1 on the CPU, 1 syscall per chunk (mmap/munmap once per file).
 * - sendfile(): page cache -> NIC by DMA (scatter-gather): 2 copies, none on the CPU, 1 syscall.
 * - HTTP/2 respondWithFile(): Node reads and writes in C++; the copies stay, the JS heap does not.
 * - copyFile(): copy_file_range in the kernel: the user-space round trip goes away.
 */
import type { Finding, Recommendation } from '../engine';

export type TransferPath = 'read-write' | 'mmap-write' | 'sendfile' | 'respond-with-file' | 'copy-file';

export interface TransferCost {
  /** How the path is named in a hover. */
  label: string;
  /** Copies of each chunk, DMA and CPU. */
  copies: number;
  /** Of those, the ones the CPU does. */
  cpuCopies: number;
  syscallsPerChunk: number;
}

export const TRANSFER_COSTS: Readonly<Record<TransferPath, TransferCost>> = {
  'read-write': { label: 'read() + write() through a JS buffer', copies: 4, cpuCopies: 2, syscallsPerChunk: 2 },
  'mmap-write': { label: 'mmap() + write()', copies: 3, cpuCopies: 1, syscallsPerChunk: 1 },
  sendfile: { label: 'sendfile()', copies: 2, cpuCopies: 0, syscallsPerChunk: 1 },
  'respond-with-file': { label: 'respondWithFile() (read + write in C++)', copies: 4, cpuCopies: 2, syscallsPerChunk: 2 },
  'copy-file': { label: 'copyFile() (copy_file_range in the kernel)', copies: 3, cpuCopies: 1, syscallsPerChunk: 1 },
};

/** Every rule finds code that reads the bytes into JS and writes them out again. */
export function pathToday(_finding: Finding): TransferPath {
  return 'read-write';
}

export function pathAfter(recommendation: Recommendation): TransferPath {
  switch (recommendation) {
    case 'sendfile':
      return 'sendfile';
    case 'mmap':
      return 'mmap-write';
    case 'stream':
      return 'read-write'; // TLS encrypts in user space: the copies stay, the heap shrinks
    case 'respondWithFile':
      return 'respond-with-file';
    case 'copyFile':
      return 'copy-file';
  }
}

/** A read stream's default chunk size (`highWaterMark` of `fs.createReadStream`). */
export const STREAM_HIGH_WATER_MARK = 64 * 1024;

/** How much of the file the JS heap holds per request. */
export type HeapHeld =
  | { kind: 'whole-file' }
  | { kind: 'bytes'; bytes: number; why: string }
  | { kind: 'unknown-buffer' }
  | { kind: 'none'; why: string };

/** What the code holds now; `hints` are sizes read from the code (see heapHints.ts). */
export function heapToday(
  finding: Finding,
  hints: { highWaterMark?: number; bufferSize?: number; bufferSizeIsUpperBound?: boolean } = {},
): HeapHeld {
  if (finding.holds === 'whole-file') return { kind: 'whole-file' };
  if (finding.rule === 'read-loop-to-socket') {
    if (hints.bufferSize === undefined) return { kind: 'unknown-buffer' };
    return { kind: 'bytes', bytes: hints.bufferSize, why: hints.bufferSizeIsUpperBound ? 'the read buffer, at most' : 'the read buffer' };
  }
  if (hints.highWaterMark !== undefined) return { kind: 'bytes', bytes: hints.highWaterMark, why: "the stream's highWaterMark" };
  return { kind: 'bytes', bytes: STREAM_HIGH_WATER_MARK, why: "the stream's default highWaterMark" };
}

export function heapAfter(recommendation: Recommendation): HeapHeld {
  switch (recommendation) {
    case 'sendfile':
      return { kind: 'none', why: 'the kernel moves the bytes' };
    case 'mmap':
      return { kind: 'none', why: 'the mapping is the page cache, outside the JS heap' };
    case 'stream':
      return { kind: 'bytes', bytes: STREAM_HIGH_WATER_MARK, why: "the stream's default highWaterMark" };
    case 'respondWithFile':
      return { kind: 'none', why: 'Node moves the bytes in C++' };
    case 'copyFile':
      return { kind: 'none', why: 'the kernel copies the file' };
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

export function describeHeap(held: HeapHeld): string {
  switch (held.kind) {
    case 'whole-file':
      return 'the whole file (N bytes for an N-byte file)';
    case 'bytes':
      return `${formatBytes(held.bytes)} (${held.why})`;
    case 'unknown-buffer':
      return 'one read buffer (its size is set where it is allocated)';
    case 'none':
      return `0 bytes (${held.why})`;
  }
}
