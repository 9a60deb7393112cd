// A whole file read into an ordinary Buffer, for where no mapping can be made:
// no addon, Windows, external buffers forbidden, or a file of size 0 (empty,
// or one that does not know its size, as /proc files do). Positions are
// explicit, so a caller's descriptor keeps its file position.
import * as fs from 'node:fs';
import { promisify } from 'node:util';

const read = promisify(fs.read);

/** What a read of a file of unknown size asks for per call (fs.readFile's own chunk). */
const UNKNOWN_SIZE_CHUNK = 64 * 1024;

/** `size` bytes from the start, or fewer if the file ended sooner. */
export function readWholeSync(fd: number, size: number): Buffer {
  const copy = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const n = fs.readSync(fd, copy, filled, size - filled, filled);
    if (n === 0) return copy.subarray(0, filled);
    filled += n;
  }
  return copy;
}

export async function readWhole(fd: number, size: number): Promise<Buffer> {
  const copy = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await read(fd, copy, filled, size - filled, filled);
    if (bytesRead === 0) return copy.subarray(0, filled);
    filled += bytesRead;
  }
  return copy;
}

/** From the start until the end of the file, however long it turns out to be. */
export function readToEndSync(fd: number): Buffer {
  const chunks: Buffer[] = [];
  let position = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(UNKNOWN_SIZE_CHUNK);
    const n = fs.readSync(fd, chunk, 0, chunk.length, position);
    if (n === 0) return Buffer.concat(chunks, position);
    chunks.push(chunk.subarray(0, n));
    position += n;
  }
}

export async function readToEnd(fd: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let position = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(UNKNOWN_SIZE_CHUNK);
    const { bytesRead } = await read(fd, chunk, 0, chunk.length, position);
    if (bytesRead === 0) return Buffer.concat(chunks, position);
    chunks.push(chunk.subarray(0, bytesRead));
    position += bytesRead;
  }
}
