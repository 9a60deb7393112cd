/**
 * Finds the JS/TS files below a folder the way a user expects a linter to: `.gitignore` files
 * honoured (those of the enclosing repository above the folder too, unless they ignore the
 * folder itself: a folder asked for by name is analysed), `.git` and any `node_modules`
 * below the folder skipped, symbolic links to folders not followed (no cycles), and the order
 * stable (sorted by name) so reports are reproducible.
 */
import { existsSync, type Dirent } from 'node:fs';
import { lstat, opendir, readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isAnalyzableFile } from '../engine';
import { GitignoreStack } from './gitignore';
import { describeFsError, kindOf, type FileType } from './regularFile';

export interface WalkOptions {
  /** Extra filter (include/exclude globs) for each JS/TS file found. */
  accept?(path: string): boolean;
  /** Checked before each folder and file; the walk ends early once it returns true. */
  isCancelled?(): boolean;
  /**
   * Told of each entry the walk cannot use although it could hold sources: a folder it cannot
   * read, and a JS/TS name that is not a regular file (FIFO, device, socket) or is a link that
   * cannot be followed (loop, dangling, unreadable). Ignored and excluded entries are not told.
   */
  onSkip?(path: string, reason: string): void;
}

export async function* walkSourceFiles(root: string, options: WalkOptions = {}): AsyncGenerator<string> {
  const top = resolve(root);
  const skip = (path: string, reason: string) => options.onSkip?.(path, reason);
  const pending: Array<{ folder: string; rules: GitignoreStack }> = [{ folder: top, rules: enclosingRules(top).enter(top) }];
  while (pending.length > 0) {
    if (options.isCancelled?.()) return;
    const { folder, rules } = pending.pop()!;
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      // Vanished meanwhile: nothing to say. Otherwise the sources below it are missed: say so.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') skip(folder, `folder cannot be read (${describeFsError(error)})`);
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subfolders: string[] = [];
    for (const entry of entries) {
      if (options.isCancelled?.()) return;
      const path = join(folder, entry.name);
      const kind = await entryKind(entry, path);
      if (kind === 'folder') {
        if (entry.name === '.git' || entry.name === 'node_modules') continue;
        if (!rules.ignores(path, true)) subfolders.push(path);
        continue;
      }
      if (kind === 'link to a folder' || !isAnalyzableFile(path) || rules.ignores(path, false) || !(options.accept?.(path) ?? true)) continue;
      if (kind === 'file') yield path;
      else skip(path, kind);
    }
    // Reverse so that popping visits subfolders in name order.
    for (let i = subfolders.length - 1; i >= 0; i--) {
      const sub = subfolders[i]!;
      pending.push({ folder: sub, rules: rules.enter(sub) });
    }
  }
}

/**
 * What a folder entry is to the walk: a file to analyse, a folder to enter, a link to a folder
 * (not followed: no cycles), or else why it cannot be analysed.
 */
async function entryKind(entry: Dirent, path: string): Promise<'file' | 'folder' | 'link to a folder' | string> {
  let type: Pick<Dirent, 'isFile' | 'isDirectory' | 'isSymbolicLink'> & FileType = entry;
  if (!entry.isFile() && !entry.isDirectory() && !entry.isSymbolicLink() && kindOf(entry) === 'special file') {
    // Some file systems do not say the type in the listing: ask.
    try {
      type = await lstat(path);
    } catch (error) {
      return `cannot be read (${describeFsError(error)})`;
    }
  }
  if (type.isFile()) return 'file';
  if (type.isDirectory()) return 'folder';
  if (!type.isSymbolicLink()) return `not a regular file (${kindOf(type)})`;
  try {
    const target = await stat(path);
    if (target.isFile()) return 'file';
    if (target.isDirectory()) return 'link to a folder';
    return `not a regular file (link to a ${kindOf(target)})`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'dangling symbolic link';
    return `symbolic link that cannot be followed (${describeFsError(error)})`;
  }
}

export async function collectSourceFiles(root: string, options: WalkOptions = {}): Promise<string[]> {
  const files: string[] = [];
  for await (const file of walkSourceFiles(root, options)) files.push(file);
  return files;
}

/** What a path named by the user is: a folder to walk, anything else to read, or why neither. */
export type NamedPath =
  | { kind: 'folder' }
  | { kind: 'other' }
  | { kind: 'missing' }
  | { kind: 'inaccessible'; folder: boolean; reason: string };

export async function namedPath(path: string): Promise<NamedPath> {
  let target;
  try {
    target = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A dangling link exists (lstat finds it) but leads nowhere.
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      const link = await lstat(path).then(() => true, () => false);
      return link ? { kind: 'inaccessible', folder: false, reason: 'dangling symbolic link' } : { kind: 'missing' };
    }
    return { kind: 'inaccessible', folder: false, reason: describeFsError(error) };
  }
  if (!target.isDirectory()) return { kind: 'other' };
  try {
    await (await opendir(path)).close();
  } catch (error) {
    return { kind: 'inaccessible', folder: true, reason: describeFsError(error) };
  }
  return { kind: 'folder' };
}

/**
 * The `.gitignore` rules of the repository folders above `folder` (from the folder holding
 * `.git` down to `folder`'s parent). Dropped when they ignore `folder` itself, since a folder
 * that is walked was asked for.
 */
function enclosingRules(folder: string): GitignoreStack {
  const chain: string[] = [];
  let dir = dirname(folder);
  let repositoryRoot: string | undefined;
  if (existsSync(join(folder, '.git'))) return GitignoreStack.empty();
  for (;;) {
    chain.unshift(dir);
    if (existsSync(join(dir, '.git'))) {
      repositoryRoot = dir;
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (repositoryRoot === undefined) return GitignoreStack.empty();
  const rules = chain.reduce((stack, dir) => stack.enter(dir), GitignoreStack.empty());
  return rules.ignores(folder, true) ? GitignoreStack.empty() : rules;
}

/**
 * Whether walking `folder` would yield `path`: the same rules as `walkSourceFiles`, checked for
 * one file (used when a file appears or changes after the folder was walked).
 */
export function isWalkedFile(folder: string, path: string): boolean {
  const top = resolve(folder);
  const rel = relative(top, resolve(path));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || !isAnalyzableFile(path)) return false;
  const parts = rel.split(sep);
  let rules = enclosingRules(top).enter(top);
  let dir = top;
  for (const part of parts.slice(0, -1)) {
    if (part === 'node_modules' || part === '.git') return false;
    dir = join(dir, part);
    if (rules.ignores(dir, true)) return false;
    rules = rules.enter(dir);
  }
  return !rules.ignores(join(top, rel), false);
}
