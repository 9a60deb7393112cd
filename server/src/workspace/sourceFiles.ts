/**
 * Which files the tools analyse, as the CLI's walk and the language server see them: JS/TS files by
 * their extension, scripts without an extension whose first line runs Node (`bin/serve` starting
 * with `#!/usr/bin/env node`), and the files a package.json names as its `bin` (whatever their
 * name). The engine decides from a name and a text (isAnalyzableFile); this reads the disk for it:
 * the first bytes of a file without an extension, and the package.json beside or above it.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { hasNoExtension, isAnalyzableFile, isNodeScript } from '../engine';

/** How much of a file is read to see its shebang. */
const HEAD = 256;

/** Whether a file on disk is one the tools analyse (sync: the language server's checks). */
export function isSourceFile(path: string): boolean {
  if (isAnalyzableFile(path)) return true;
  // Only a name without an extension may be a script (a bin with one is a .js file already).
  return hasNoExtension(path) && (isNodeScript(headSync(path)) || isBinEntrySync(path));
}

/** The same as isSourceFile, given the bin entries of the package.json files walked so far (the walk's). */
export async function isSourceFileAsync(path: string, binEntries: ReadonlySet<string>): Promise<boolean> {
  if (isAnalyzableFile(path)) return true;
  return hasNoExtension(path) && (binEntries.has(path) || isNodeScript(await head(path)));
}

/** The files a folder's package.json names as `bin` (absolute); none without one, or when it does not parse. */
export async function binEntriesOf(folder: string): Promise<string[]> {
  return binPaths(folder, await readFile(join(folder, 'package.json'), 'utf8').catch(() => undefined));
}

function binPaths(folder: string, text: string | undefined): string[] {
  if (text === undefined) return [];
  let bin: unknown;
  try {
    bin = (JSON.parse(text) as { bin?: unknown }).bin;
  } catch {
    return [];
  }
  const paths = typeof bin === 'string' ? [bin] : bin && typeof bin === 'object' ? Object.values(bin) : [];
  return paths.filter((p): p is string => typeof p === 'string' && p.length > 0).map((p) => resolve(folder, p));
}

/** Whether the nearest package.json above a file names it as a `bin`. */
function isBinEntrySync(path: string): boolean {
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    let text: string | undefined;
    try {
      text = readFileSync(join(dir, 'package.json'), 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) return binPaths(dir, text).includes(resolve(path));
    if (dirname(dir) === dir) return false;
  }
}

function headSync(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(HEAD);
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, HEAD, 0));
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

async function head(path: string): Promise<string> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return '';
  try {
    const buffer = Buffer.alloc(HEAD);
    const { bytesRead } = await handle.read(buffer, 0, HEAD, 0);
    return buffer.toString('utf8', 0, bytesRead);
  } catch {
    return '';
  } finally {
    await handle.close();
  }
}
