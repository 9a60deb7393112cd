// Opens and checks the file before anything touches the target, so ENOENT,
// EISDIR or an unsatisfiable range can still become a 404 or 416.
//
// Synchronous whenever that cannot wait on a disk (a descriptor, or a path in
// the dentry cache), so that the common transfer costs no extra promise.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { promisify } from 'node:util';
import { NOT_REGULAR_FILE } from './binding';
import { notRegularFile, rangeNotSatisfiable, systemError } from './errors';
import { native } from './native';
import { checkRange, isFileHandle, type CheckedRange, type FileInput, type RangeOptions } from './options';
import type { SendMethod } from './result';

const open = promisify(fs.open);

/**
 * Opening never waits: not for a FIFO's writer (O_NONBLOCK), and a terminal
 * does not become the process's (O_NOCTTY); fstat then refuses what is not a
 * regular file. Neither flag changes a regular file. Windows has neither.
 * sendFile's thread-pool open needs it as much as mapFile's: without openat2
 * (macOS, Windows, Linux before 5.12, qemu-user before 9) a FIFO named by a
 * path, and on every system one named by a Buffer or URL, reaches it.
 */
export const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

export interface OpenedFile {
  fd: number;
  /** Size of the file when it was checked. */
  size: number;
  start: number;
  /** Bytes to send: from start through the (clamped, inclusive) end. */
  length: number;
  /** Whether we opened the descriptor (and so close it); a caller's fd or FileHandle stays open. */
  owned: boolean;
  /** The method carrying the bytes, once one was chosen: what a failure is reported under. */
  method: SendMethod | undefined;
  /** Bytes of the range the stream path has handed to the target so far (sendfile failures carry their own count). */
  sent: number;
}

function describe(file: FileInput): string | undefined {
  if (typeof file === 'string') return file;
  if (Buffer.isBuffer(file)) return file.toString();
  if (file instanceof URL) return file.href;
  return undefined;
}

/** Where openCached stores the size of the file it opened. */
const cachedSize = new Float64Array(1);

/**
 * Opening a path may wait on a disk or a network, so Node does it in the
 * thread pool. When the path is already in the kernel's dentry cache the open
 * cannot wait, and the addon does it right here (openat2 RESOLVE_CACHED),
 * saving a thread-pool round trip per transfer, and sizes the file with the
 * same fstat; it also turns away FIFOs and devices without opening them for
 * real (which could block). Returns the descriptor and size, or undefined to
 * open through the thread pool.
 */
function openWithoutWaiting(file: string | Buffer | URL, syscall: string): { fd: number; size: number } | undefined {
  if (typeof file !== 'string' || file.includes('\u0000') || native.openCached === undefined) return undefined;
  const result = native.openCached(file, cachedSize);
  if (result >= 0) return { fd: result, size: cachedSize[0] };
  if (result === -os.constants.errno.EISDIR) throw systemError(result, syscall, file);
  if (result === NOT_REGULAR_FILE) throw notRegularFile(`'${file}'`);
  return undefined; // not cached, not supported, or an error fs.open will report in Node's words
}

/**
 * Closing a read-only descriptor of a regular file writes nothing back and
 * does not wait on the disk, so it is done here rather than in the thread pool.
 */
export function release(file: OpenedFile): void {
  if (!file.owned) return;
  try {
    fs.closeSync(file.fd);
  } catch {
    // The descriptor is released even when close reports an error (Linux close(2)).
  }
}

/**
 * fstat of an open descriptor reads the in-memory inode: cheap enough to do
 * synchronously. The addon answers without building an fs.Stats; fs explains
 * anything unusual.
 */
function regularFileSize(fd: number, file: FileInput, syscall: string): number {
  const size = native.regularFileSize?.(fd);
  if (size !== undefined) return size;
  const stats = fs.fstatSync(fd);
  const name = describe(file);
  if (stats.isDirectory()) throw systemError(-os.constants.errno.EISDIR, syscall, name);
  if (!stats.isFile()) throw notRegularFile(name === undefined ? `file descriptor ${fd}` : `'${name}'`);
  return stats.size;
}

function check(fd: number, owned: boolean, file: FileInput, range: CheckedRange, syscall: string, knownSize?: number): OpenedFile {
  try {
    const size = knownSize ?? regularFileSize(fd, file, syscall);
    // As an HTTP byte range (RFC 9110 14.1.2): satisfiable only if its first byte exists. No range: the whole file, even empty.
    if (range.ranged && range.start >= size) throw rangeNotSatisfiable(range.start, size);
    const last = range.end === undefined ? size - 1 : Math.min(range.end, size - 1);
    return { fd, size, start: range.start, length: Math.max(0, last - range.start + 1), owned, method: undefined, sent: 0 };
  } catch (error) {
    if (owned) fs.closeSync(fd);
    throw error;
  }
}

/** The checked file: right away when that cannot wait on a disk, else a promise. */
export function openFile(file: FileInput, options: RangeOptions, syscall: string): OpenedFile | Promise<OpenedFile> {
  const range = checkRange(options);
  if (typeof file === 'number') return check(file, false, file, range, syscall);
  if (isFileHandle(file)) return check(file.fd, false, file, range, syscall);
  const cached = openWithoutWaiting(file, syscall);
  if (cached !== undefined) return check(cached.fd, true, file, range, syscall, cached.size);
  return open(file, OPEN_FLAGS).then((opened) => check(opened, true, file, range, syscall));
}
