/**
 * Which files of a materialised project are scored: the files `zerocopy check <folder>` walks (the CLI's own walk,
 * workspace/walk.ts), minus the set's and the project's `exclude` globs. Shared by the labelling lister and the runner, so both
 * see the same files.
 */
import { join, relative, sep } from 'node:path';
import { collectSourceFiles } from '../../server/src/workspace/walk';
import { createPathFilter } from '../../server/src/workspace/globs';
import type { EvalProject } from './projects-set';

export interface ProjectFiles {
  /** The folder check runs on. */
  folder: string;
  /** Every file the walk finds, relative to `folder`, `/`-separated. */
  walked: string[];
  /** The walked files that are scored (not excluded). */
  scored: string[];
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

export async function projectFiles(materialisedDir: string, p: EvalProject, exclude: readonly string[]): Promise<ProjectFiles> {
  const folder = join(materialisedDir, p.folder);
  const filter = createPathFilter(folder, [], exclude);
  const all = await collectSourceFiles(folder);
  return {
    folder,
    walked: all.map((f) => toPosix(relative(folder, f))),
    scored: all.filter((f) => filter.accepts(f)).map((f) => toPosix(relative(folder, f))),
  };
}
