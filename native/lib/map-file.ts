// mapFile: the whole file as a Buffer over a private copy-on-write mapping.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as url from 'node:url';
import { constants as bufferConstants } from 'node:buffer';
import { fileTooLarge, notRegularFile, systemError } from './errors';
import { native } from './native';
import { mapFileChannel, publishMap, type MapMethod } from './observe';
import { checkFileInput, checkMapFileOptions, isFileHandle, type FileInput, type MapFileOptions } from './options';

function openForMapping(file: FileInput): { fd: number; owned: boolean; name: string } {
  if (typeof file === 'number') return { fd: file, owned: false, name: `file descriptor ${file}` };
  if (isFileHandle(file)) return { fd: file.fd, owned: false, name: `file descriptor ${file.fd}` };
  return { fd: fs.openSync(file, 'r'), owned: true, name: `'${String(file)}'` };
}

/** The path to name in a system error, as fs names it; none for a descriptor. */
function pathOf(file: FileInput): string | undefined {
  if (typeof file === 'string') return file;
  if (Buffer.isBuffer(file)) return file.toString();
  if (file instanceof URL) return url.fileURLToPath(file);
  return undefined;
}

/**
 * Maps `file` (a path, descriptor or FileHandle) into memory and returns a
 * Buffer over the mapping. The mapping is private and copy-on-write: writes to
 * the Buffer change this process's copy only and never reach the file. It is
 * unmapped when the Buffer is garbage-collected.
 *
 * An empty file gives an empty Buffer, as fs.readFile does; so does any file
 * whose size reads 0, whose bytes (if it has any, as /proc files do) are then
 * read until its end, as fs.readFile reads them, into an ordinary Buffer.
 *
 * If the file shrinks while mapped, bytes past its new end read as zeros (see
 * `available.sigbusGuard`) instead of killing the process with SIGBUS.
 * Without the addon (or where external buffers are forbidden, as in Electron)
 * the result is an ordinary Buffer holding a copy of the file.
 */
export function mapFile(file: FileInput, options?: MapFileOptions): Buffer {
  checkFileInput(file);
  const { populate = false } = checkMapFileOptions(options);
  if (!mapFileChannel.hasSubscribers) return mapChecked(file, populate).buffer;
  try {
    const { buffer, method } = mapChecked(file, populate);
    publishMap({ file, method, bytes: buffer.length, async: false, failed: false, error: undefined });
    return buffer;
  } catch (error) {
    publishMap({ file, method: undefined, bytes: 0, async: false, failed: true, error });
    throw error;
  }
}

function mapChecked(file: FileInput, populate: boolean): { buffer: Buffer; method: MapMethod } {
  const { fd, owned, name } = openForMapping(file);
  try {
    const stats = fs.fstatSync(fd);
    if (stats.isDirectory()) throw systemError(-os.constants.errno.EISDIR, 'mmap', pathOf(file));
    if (!stats.isFile()) throw notRegularFile(name);
    // mmap cannot map 0 bytes; an empty file, or one that does not know its size (procfs), is read to its end.
    if (stats.size === 0) return { buffer: readToEnd(fd), method: 'copy' };
    if (stats.size > bufferConstants.MAX_LENGTH) throw fileTooLarge(stats.size, bufferConstants.MAX_LENGTH);
    // Windows has no mapping in the addon: a copy keeps the same semantics.
    const mapped = process.platform === 'win32' ? undefined : native.mapFile?.(fd, stats.size, populate);
    if (typeof mapped === 'number') throw systemError(mapped, 'mmap', pathOf(file));
    if (mapped !== undefined) return { buffer: mapped, method: 'mmap' };
    return { buffer: readWhole(fd, stats.size), method: 'copy' };
  } finally {
    if (owned) fs.closeSync(fd);
  }
}

/** What readToEnd reads per call (fs.readFile's own chunk for files of unknown size). */
const READ_TO_END_CHUNK = 64 * 1024;

function readWhole(fd: number, size: number): Buffer {
  const copy = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const n = fs.readSync(fd, copy, filled, size - filled, filled);
    if (n === 0) return copy.subarray(0, filled);
    filled += n;
  }
  return copy;
}

/** Reads from the start until the end of the file, however long it turns out to be. */
function readToEnd(fd: number): Buffer {
  const chunks: Buffer[] = [];
  let position = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(READ_TO_END_CHUNK);
    const n = fs.readSync(fd, chunk, 0, chunk.length, position);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    position += n;
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, position);
}
