// mapFile: the whole file as a Buffer over a private copy-on-write mapping.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { constants as bufferConstants } from 'node:buffer';
import { emptyFile, notRegularFile, outOfRange, systemError } from './errors';
import { native } from './native';
import { mapFileChannel, publishMap, type MapMethod } from './observe';
import { checkFileInput, checkMapFileOptions, isFileHandle, type FileInput, type MapFileOptions } from './options';

function openForMapping(file: FileInput): { fd: number; owned: boolean; name: string } {
  if (typeof file === 'number') return { fd: file, owned: false, name: `file descriptor ${file}` };
  if (isFileHandle(file)) return { fd: file.fd, owned: false, name: `file descriptor ${file.fd}` };
  return { fd: fs.openSync(file, 'r'), owned: true, name: `'${String(file)}'` };
}

/**
 * Maps `file` (a path, descriptor or FileHandle) into memory and returns a
 * Buffer over the mapping. The mapping is private and copy-on-write: writes to
 * the Buffer change this process's copy only and never reach the file. It is
 * unmapped when the Buffer is garbage-collected.
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
    if (stats.isDirectory()) throw systemError(-os.constants.errno.EISDIR, 'mmap', typeof file === 'string' ? file : undefined);
    if (!stats.isFile()) throw notRegularFile(name);
    if (stats.size === 0) throw emptyFile(name);
    if (stats.size > bufferConstants.MAX_LENGTH) throw outOfRange('file size', `<= ${bufferConstants.MAX_LENGTH} bytes (buffer.constants.MAX_LENGTH) to be mapped`, stats.size);
    // Windows has no mapping in the addon: a copy keeps the same semantics.
    const mapped = process.platform === 'win32' ? undefined : native.mapFile?.(fd, stats.size, populate);
    if (typeof mapped === 'number') throw systemError(mapped, 'mmap', typeof file === 'string' ? file : undefined);
    if (mapped !== undefined) return { buffer: mapped, method: 'mmap' };
    return { buffer: readWhole(fd, stats.size), method: 'copy' };
  } finally {
    if (owned) fs.closeSync(fd);
  }
}

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
