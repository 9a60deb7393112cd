// mapFile: the whole file as a Buffer over a private copy-on-write mapping.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as url from 'node:url';
import { constants as bufferConstants } from 'node:buffer';
import { fileTooLarge, notRegularFile, systemError } from './errors';
import { readToEndSync, readWholeSync } from './file-copy';
import { native } from './native';
import { mapFileChannel, publishMap, type MapMethod } from './observe';
import { OPEN_FLAGS } from './open-file';
import { keepSigbusGuard } from './sigbus';
import { checkFileInput, checkMapFileOptions, isFileHandle, type FileInput, type MapFileOptions } from './options';

/** The path to name in a system error, as fs names it; none for a descriptor. */
export function pathOf(file: FileInput): string | undefined {
  if (typeof file === 'string') return file;
  if (Buffer.isBuffer(file)) return file.toString();
  if (file instanceof URL) return url.fileURLToPath(file);
  return undefined;
}

/** How the file is named in errors that are not system errors. */
export function nameOf(file: FileInput): string {
  if (typeof file === 'number') return `file descriptor ${file}`;
  if (isFileHandle(file)) return `file descriptor ${file.fd}`;
  return `'${pathOf(file)}'`;
}

/** Why a file of this kind and size cannot be mapped, as the error to throw; undefined when it can. */
export function unmappable(stats: { isDirectory(): boolean; isFile(): boolean; size: number }, file: FileInput): Error | undefined {
  if (stats.isDirectory()) return systemError(-os.constants.errno.EISDIR, 'mmap', pathOf(file));
  if (!stats.isFile()) return notRegularFile(nameOf(file));
  if (stats.size > bufferConstants.MAX_LENGTH) return fileTooLarge(stats.size, bufferConstants.MAX_LENGTH);
  return undefined;
}

function openForMapping(file: FileInput): { fd: number; owned: boolean } {
  if (typeof file === 'number') return { fd: file, owned: false };
  if (isFileHandle(file)) return { fd: file.fd, owned: false };
  return { fd: fs.openSync(file, OPEN_FLAGS), owned: true };
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
  const { fd, owned } = openForMapping(file);
  try {
    const stats = fs.fstatSync(fd);
    const refused = unmappable(stats, file);
    if (refused) throw refused;
    // mmap cannot map 0 bytes; an empty file, or one that does not know its size (procfs), is read to its end.
    if (stats.size === 0) return { buffer: readToEndSync(fd), method: 'copy' };
    // Windows has no mapping in the addon: a copy keeps the same semantics.
    if (process.platform !== 'win32') keepSigbusGuard();
    const mapped = process.platform === 'win32' ? undefined : native.mapFile?.(fd, stats.size, populate);
    if (typeof mapped === 'number') throw systemError(mapped, 'mmap', pathOf(file));
    if (mapped !== undefined) return { buffer: mapped, method: 'mmap' };
    return { buffer: readWholeSync(fd, stats.size), method: 'copy' };
  } finally {
    if (owned) fs.closeSync(fd);
  }
}
