/**
 * Reads a source file from disk for analysis, refusing what the engine should never see:
 * files over the size limit (checked before reading, so a 50 MB bundle is never loaded) and
 * binary files (a NUL byte near the start, as git decides). Never throws.
 */
import { readFile, stat } from 'node:fs/promises';
import { readFileSync, statSync } from 'node:fs';

export type SourceRead = { text: string } | { skipped: string };

/** How many leading bytes are searched for a NUL byte (git looks at the first 8000). */
const BINARY_SNIFF_BYTES = 8000;

export async function readSourceFile(path: string, maxBytes: number): Promise<SourceRead> {
  try {
    const size = (await stat(path)).size;
    if (size > maxBytes) return tooLarge(size, maxBytes);
    return decode(await readFile(path), maxBytes);
  } catch (error) {
    return { skipped: `cannot be read (${describe(error)})` };
  }
}

/** For the engine's `Project`, which asks for other files' text synchronously. */
export function readSourceFileSync(path: string, maxBytes: number): SourceRead {
  try {
    const size = statSync(path).size;
    if (size > maxBytes) return tooLarge(size, maxBytes);
    return decode(readFileSync(path), maxBytes);
  } catch (error) {
    return { skipped: `cannot be read (${describe(error)})` };
  }
}

function decode(bytes: Buffer, maxBytes: number): SourceRead {
  // The file may have grown between stat and read.
  if (bytes.length > maxBytes) return tooLarge(bytes.length, maxBytes);
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { skipped: 'binary file (NUL byte in the first 8000 bytes)' };
  let text = bytes.toString('utf8');
  // Editors do not show a byte-order mark, so positions must not count it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}

function tooLarge(size: number, maxBytes: number): SourceRead {
  return { skipped: `too large (${size} bytes; the limit is ${maxBytes})` };
}

function describe(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? String(error);
}
