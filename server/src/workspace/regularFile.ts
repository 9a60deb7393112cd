/**
 * The one way the server, the CLI and the workspace layer read a file from disk. A repository
 * decides what its paths are, so a path that looks like a source file may be a FIFO (an open
 * that blocks for ever), a device (`/dev/zero`: a read that never ends), or a link to either.
 * Only regular files are read, and never more than the limit:
 * - `stat` first (following links): anything but a regular file is refused without opening it,
 *   so no device's open ever runs;
 * - then `open` with O_NONBLOCK (a FIFO swapped in after the `stat` cannot block the open) and
 *   `fstat` on the descriptor: what is read is what was checked;
 * - at most `maxBytes + 1` bytes are read, whatever `stat` said (a file may grow, and some
 *   files report size 0): one byte more than the limit says "too large".
 * Never throws: a refusal comes back with a reason a person can read.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

export type RegularFileRead = { bytes: Buffer } | { refused: string };

// O_NONBLOCK and O_NOCTTY do not exist on Windows (where a FIFO is not a file name either).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
/** The smallest first buffer (files that report size 0, like those of /proc, still have bytes). */
const MIN_FIRST_BUFFER = 4096;

export function readRegularFileSync(path: string, maxBytes: number): RegularFileRead {
  let fd: number | undefined;
  try {
    const before = statSync(path);
    if (!before.isFile()) return notRegular(before);
    fd = openSync(path, OPEN_FLAGS);
    const opened = fstatSync(fd);
    if (!opened.isFile()) return notRegular(opened);
    if (opened.size > maxBytes) return tooLarge(opened.size, maxBytes);
    const reader = new BoundedReader(maxBytes, opened.size);
    const descriptor = fd;
    while (reader.wantsMore) reader.took(readSync(descriptor, reader.buffer, reader.offset, reader.room, null));
    return reader.result();
  } catch (error) {
    return cannotRead(error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export async function readRegularFile(path: string, maxBytes: number): Promise<RegularFileRead> {
  try {
    const before = await stat(path);
    if (!before.isFile()) return notRegular(before);
    const handle = await open(path, OPEN_FLAGS);
    try {
      const opened = await handle.stat();
      if (!opened.isFile()) return notRegular(opened);
      if (opened.size > maxBytes) return tooLarge(opened.size, maxBytes);
      const reader = new BoundedReader(maxBytes, opened.size);
      while (reader.wantsMore) reader.took((await handle.read(reader.buffer, reader.offset, reader.room, null)).bytesRead);
      return reader.result();
    } finally {
      await handle.close();
    }
  } catch (error) {
    return cannotRead(error);
  }
}

/** What `Stats` and a folder listing's `Dirent` both say about a file's type. */
export type FileType = Pick<Stats, 'isFile' | 'isDirectory' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket' | 'isSymbolicLink'>;

/** What kind of thing a path is, in words, for a refusal. */
export function kindOf(stats: FileType): string {
  if (stats.isFile()) return 'regular file';
  if (stats.isDirectory()) return 'folder';
  if (stats.isFIFO()) return 'FIFO';
  if (stats.isCharacterDevice()) return 'character device';
  if (stats.isBlockDevice()) return 'block device';
  if (stats.isSocket()) return 'socket';
  if (stats.isSymbolicLink()) return 'symbolic link';
  return 'special file';
}

const ERROR_TEXTS: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'a folder on the path is a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'symbolic link loop',
  EISDIR: 'is a folder',
  EIO: 'input/output error',
  ENAMETOOLONG: 'name too long',
  EMFILE: 'too many open files',
};

/** An fs error as `CODE: what it means` (or its message when it has no code). */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string') return error instanceof Error ? error.message : String(error);
  return ERROR_TEXTS[code] ? `${code}: ${ERROR_TEXTS[code]}` : code;
}

/** Reads into one buffer, never past `maxBytes + 1` bytes in all. */
class BoundedReader {
  buffer: Buffer;
  offset = 0;
  private ended = false;

  private readonly maxBytes: number;

  constructor(maxBytes: number, expectedSize: number) {
    this.maxBytes = Math.floor(maxBytes);
    // One byte more than the size stat gave, so that growth is seen; at most one past the limit.
    this.buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(expectedSize + 1, MIN_FIRST_BUFFER)));
  }

  get wantsMore(): boolean {
    return !this.ended && this.offset <= this.maxBytes;
  }

  get room(): number {
    if (this.offset === this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.min(this.maxBytes + 1, this.buffer.length * 2));
      this.buffer.copy(bigger, 0, 0, this.offset);
      this.buffer = bigger;
    }
    return this.buffer.length - this.offset;
  }

  took(bytesRead: number): void {
    if (bytesRead === 0) this.ended = true;
    this.offset += bytesRead;
  }

  result(): RegularFileRead {
    if (this.offset > this.maxBytes) return { refused: `too large (over ${this.maxBytes} bytes when read; the limit is ${this.maxBytes})` };
    return { bytes: this.buffer.subarray(0, this.offset) };
  }
}

function notRegular(stats: Stats): RegularFileRead {
  return { refused: `not a regular file (${kindOf(stats)})` };
}

function tooLarge(size: number, maxBytes: number): RegularFileRead {
  return { refused: `too large (${size} bytes; the limit is ${maxBytes})` };
}

function cannotRead(error: unknown): RegularFileRead {
  return { refused: `cannot be read (${describeFsError(error)})` };
}
