/**
 * The files `zerocopy check` analyses: each folder argument walked (walk.ts: .gitignore,
 * no node_modules below it), each file argument taken as it is, even inside node_modules or
 * gitignored, since it was asked for by name. Duplicates are dropped, the order kept.
 */
import { resolve } from 'node:path';
import { isFolder, pathExists, walkSourceFiles } from '../workspace/walk';
import { UsageError } from './errors';

export async function collectFiles(paths: readonly string[], cwd: string): Promise<string[]> {
  const files = new Set<string>();
  for (const given of paths) {
    const path = resolve(cwd, given);
    if (!(await pathExists(path))) throw new UsageError(`no such file or folder: ${given}`);
    if (await isFolder(path)) {
      for await (const file of walkSourceFiles(path)) files.add(file);
    } else {
      files.add(path);
    }
  }
  return [...files];
}
