// mapFileAsync: mapFile off the event loop. Opening, checking, mapping and
// populating the pages all happen in libuv's thread pool, so neither a slow
// disk nor the page faults of a first read stall the main thread.
import * as fs from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { promisify } from 'node:util';
import { MapStatus, NOT_REGULAR_FILE } from './binding';
import { fileTooLarge, invalidArgValue, notRegularFile, systemError } from './errors';
import { readToEnd, readWhole } from './file-copy';
import { nameOf, pathOf, unmappable } from './map-file';
import { OPEN_FLAGS } from './open-file';
import { native } from './native';
import { mapFileChannel, publishMap, type MapMethod } from './observe';
import { keepSigbusGuard } from './sigbus';
import { checkFileInput, checkMapFileOptions, isFileHandle, type FileInput, type MapFileOptions } from './options';

const open = promisify(fs.open);
const fstat = promisify(fs.fstat);
const close = promisify(fs.close);

/**
 * `mapFile` without blocking the event loop: resolves with the same Buffer
 * (a private copy-on-write mapping, unmapped by GC) and rejects where
 * `fs.promises.readFile` would, with the same `code` (ENOENT, EACCES, EISDIR,
 * ERR_FS_FILE_TOO_LARGE, ...). Its pages are populated in the thread pool
 * unless `populate: false`, so reading the Buffer does not fault on the main
 * thread. An empty file gives an empty Buffer. A FIFO or device is refused
 * with ERR_ZEROCOPY_NOT_REGULAR_FILE, never waited on.
 */
export async function mapFileAsync(file: FileInput, options?: MapFileOptions): Promise<Buffer> {
  checkFileInput(file);
  const { populate = true } = checkMapFileOptions(options);
  try {
    const { buffer, method } = await mapInBackground(file, populate);
    if (mapFileChannel.hasSubscribers) publishMap({ file, method, bytes: buffer.length, async: true, failed: false, error: undefined });
    return buffer;
  } catch (error) {
    if (mapFileChannel.hasSubscribers) publishMap({ file, method: undefined, bytes: 0, async: true, failed: true, error });
    throw error;
  }
}

/** The path's bytes for the addon, refusing NUL bytes as fs does. */
function pathBytes(file: string | Buffer | URL): Buffer {
  const bytes = Buffer.isBuffer(file) ? file : Buffer.from(file instanceof URL ? (pathOf(file) as string) : file);
  if (bytes.includes(0)) throw invalidArgValue("argument 'path'", JSON.stringify(bytes.toString()), 'must be a string, Uint8Array, or URL without null bytes');
  return bytes;
}

async function mapInBackground(file: FileInput, populate: boolean): Promise<{ buffer: Buffer; method: MapMethod }> {
  const start = native.mapFileAsync;
  if (start === undefined) return { buffer: await copyInBackground(file), method: 'copy' };
  const path = typeof file === 'number' || isFileHandle(file) ? undefined : pathBytes(file);
  const fd = typeof file === 'number' ? file : isFileHandle(file) ? file.fd : -1;
  keepSigbusGuard();
  const [status, detail] = await new Promise<[number, Buffer | string | number | undefined]>((resolve) => {
    start(path, fd, populate, bufferConstants.MAX_LENGTH, (status, detail) => resolve([status, detail]));
  });
  if (status === 0) return { buffer: detail as Buffer, method: 'mmap' };
  // Nothing to map (size 0: empty, or /proc), or no Buffer may wrap a mapping here.
  if (status === MapStatus.empty || status === MapStatus.noExternalBuffers) return { buffer: await copyInBackground(file), method: 'copy' };
  if (status === NOT_REGULAR_FILE) throw notRegularFile(nameOf(file));
  if (status === MapStatus.tooLarge) throw fileTooLarge(detail as number, bufferConstants.MAX_LENGTH);
  throw systemError(status, detail as string, pathOf(file));
}

/** The same checks and outcome through fs, for where the addon cannot map. */
async function copyInBackground(file: FileInput): Promise<Buffer> {
  const owned = typeof file !== 'number' && !isFileHandle(file);
  const fd = typeof file === 'number' ? file : isFileHandle(file) ? file.fd : await open(file, OPEN_FLAGS);
  try {
    const stats = await fstat(fd);
    const refused = unmappable(stats, file);
    if (refused) throw refused;
    return stats.size === 0 ? await readToEnd(fd) : await readWhole(fd, stats.size);
  } finally {
    if (owned) await close(fd);
  }
}
