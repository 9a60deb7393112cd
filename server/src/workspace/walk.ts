/**
 * Finds the JS/TS files below a folder (sourceFiles.ts: also Node scripts without an extension and
 * package.json `bin` entries) the way a user expects a linter to: `.gitignore` files
 * honoured (those of the enclosing repository above the folder too, unless they ignore the
 * folder itself: a folder asked for by name is analysed), `.git` and any `node_modules`
 * below the folder skipped, symbolic links to folders not followed (no cycles), and the order
 * stable (sorted by name) so reports are reproducible.
 */
import { existsSync } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { GitignoreStack } from './gitignore';
import { binEntriesOf, isSourceFile, isSourceFileAsync } from './sourceFiles';

export interface WalkOptions {
  /** Extra filter (include/exclude globs) for each JS/TS file found. */
  accept?(path: string): boolean;
  /** Checked before each folder and file; the walk ends early once it returns true. */
  isCancelled?(): boolean;
}

export async function* walkSourceFiles(root: string, options: WalkOptions = {}): AsyncGenerator<string> {
  const top = resolve(root);
  const pending: Array<{ folder: string; rules: GitignoreStack }> = [{ folder: top, rules: enclosingRules(top).enter(top) }];
  /** The `bin` entries of the package.json files met so far: scripts, whatever their name. */
  const bins = new Set<string>();
  while (pending.length > 0) {
    if (options.isCancelled?.()) return;
    const { folder, rules } = pending.pop()!;
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      continue; // vanished or unreadable: nothing to analyse there
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (entries.some((e) => e.name === 'package.json' && e.isFile())) for (const bin of await binEntriesOf(folder)) bins.add(bin);
    const subfolders: string[] = [];
    for (const entry of entries) {
      if (options.isCancelled?.()) return;
      const path = join(folder, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        // A link to a file is analysed; a link to a folder is not followed.
        isFile = await stat(path).then((s) => s.isFile(), () => false);
        isDirectory = false;
      }
      if (isDirectory) {
        if (entry.name === '.git' || entry.name === 'node_modules') continue;
        if (!rules.ignores(path, true)) subfolders.push(path);
      } else if (isFile && !rules.ignores(path, false) && (await isSourceFileAsync(path, bins)) && (options.accept?.(path) ?? true)) {
        yield path;
      }
    }
    // Reverse so that popping visits subfolders in name order.
    for (let i = subfolders.length - 1; i >= 0; i--) {
      const sub = subfolders[i]!;
      pending.push({ folder: sub, rules: rules.enter(sub) });
    }
  }
}

export async function collectSourceFiles(root: string, options: WalkOptions = {}): Promise<string[]> {
  const files: string[] = [];
  for await (const file of walkSourceFiles(root, options)) files.push(file);
  return files;
}

/** Whether `path` is a folder (following links); false when it does not exist. */
export async function isFolder(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

/** Whether `path` exists at all (a dangling link counts). */
export async function pathExists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false);
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
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || !isSourceFile(path)) return false;
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
