/**
 * The `include` / `exclude` settings: globs relative to a workspace folder, matched with
 * minimatch (pinned). A glob with no `/` matches a file name in any folder (`*.test.js`),
 * as VS Code users expect; one with a `/` matches the relative path (`src/**`, `lib/gen/*.js`).
 */
import { Minimatch } from 'minimatch';
import { relative, sep } from 'node:path';

export interface PathFilter {
  /** Whether `path` (absolute, below the folder) passes include and exclude. */
  accepts(path: string): boolean;
}

export function createPathFilter(folder: string, include: readonly string[], exclude: readonly string[]): PathFilter {
  const compile = (globs: readonly string[]) =>
    globs.filter((g) => g.trim() !== '').map((g) => new Minimatch(g.trim(), { dot: true, matchBase: !g.includes('/') }));
  const includes = compile(include);
  const excludes = compile(exclude);
  return {
    accepts(path: string): boolean {
      const rel = relative(folder, path);
      // Outside the folder the folder's globs say nothing.
      if (rel.startsWith('..')) return true;
      const posix = sep === '/' ? rel : rel.split(sep).join('/');
      if (includes.length > 0 && !includes.some((m) => m.match(posix))) return false;
      return !excludes.some((m) => m.match(posix));
    },
  };
}
