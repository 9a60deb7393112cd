/**
 * Reads a source file from disk for analysis, refusing what the engine should never see:
 * anything but a regular file, files over the size limit (never read past it: regularFile.ts),
 * and binary files (a NUL byte near the start, as git decides). Never throws.
 */
import { readRegularFile, readRegularFileSync, type RegularFileRead } from './regularFile';

export type SourceRead = { text: string } | { skipped: string };

/** How many leading bytes are searched for a NUL byte (git looks at the first 8000). */
const BINARY_SNIFF_BYTES = 8000;

export async function readSourceFile(path: string, maxBytes: number): Promise<SourceRead> {
  return decode(await readRegularFile(path, maxBytes));
}

/**
 * For the engine's `Project`, which asks for other files' text synchronously. It can only reach
 * regular files, and reads at most `maxBytes + 1` bytes of one.
 */
export function readSourceFileSync(path: string, maxBytes: number): SourceRead {
  return decode(readRegularFileSync(path, maxBytes));
}

function decode(read: RegularFileRead): SourceRead {
  if ('refused' in read) return { skipped: read.refused };
  const bytes = read.bytes;
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { skipped: 'binary file (NUL byte in the first 8000 bytes)' };
  let text = bytes.toString('utf8');
  // Editors do not show a byte-order mark, so positions must not count it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}
