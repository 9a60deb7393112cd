/**
 * The files `zerocopy check` analyses: each folder argument walked (walk.ts: .gitignore,
 * no node_modules below it), each file argument taken as it is, even inside node_modules or
 * gitignored, since it was asked for by name. Duplicates are dropped, the order kept.
 * A path that does not exist is a usage error; one that exists but cannot be looked into (no
 * permission, a link loop, a folder that cannot be listed) is an error too, never a silent
 * "no findings". Entries the walks cannot use come back as skipped, with the reason.
 */
import { resolve } from 'node:path';
import type { SkippedFile } from '../engine';
import { namedPath, walkSourceFiles } from '../workspace/walk';
import { CliError, UsageError } from './errors';
import { quoteForTerminal } from './terminalText';

export interface CollectedFiles {
  files: string[];
  skipped: SkippedFile[];
}

export async function collectFiles(paths: readonly string[], cwd: string): Promise<CollectedFiles> {
  const files = new Set<string>();
  const skipped: SkippedFile[] = [];
  for (const given of paths) {
    const path = resolve(cwd, given);
    const named = await namedPath(path);
    switch (named.kind) {
      case 'missing':
        throw new UsageError(`no such file or folder: ${quoteForTerminal(given)}`);
      case 'inaccessible':
        throw new CliError(`cannot read ${named.folder ? 'folder ' : ''}${quoteForTerminal(given)} (${named.reason})`);
      case 'folder':
        for await (const file of walkSourceFiles(path, { onSkip: (fileName, reason) => skipped.push({ fileName, reason }) })) files.add(file);
        break;
      case 'other':
        files.add(path);
    }
  }
  return { files: [...files], skipped };
}
