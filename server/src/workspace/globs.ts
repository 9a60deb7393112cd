/**
 * The `include` / `exclude` settings: globs relative to a workspace folder (glob.ts: VS Code's
 * syntax, matched in time bounded by the glob's and the path's lengths, whatever a repository's
 * settings hold). A glob with no `/` matches a file name in any folder (`*.test.js`); one with a
 * `/` matches the relative path (`src/**`, `lib/gen/*.js`). A glob that is refused (too long, too
 * many brace alternatives) matches nothing and is listed in `problems`, for the log.
 */
import { relative, sep } from 'node:path';
import { compileGlob, type Glob } from './glob';

/** More globs than this in one list are ignored (and said to be). */
export const MAX_GLOBS = 200;

export interface PathFilter {
  /** Whether `path` (absolute, below the folder) passes include and exclude. */
  accepts(path: string): boolean;
  /** Globs that were refused, each with why (`exclude glob "…": longer than 1000 characters`). */
  readonly problems: readonly string[];
}

export function createPathFilter(folder: string, include: readonly string[], exclude: readonly string[]): PathFilter {
  const problems: string[] = [];
  const compile = (setting: string, globs: readonly string[]): Glob[] => {
    const given = globs.filter((g) => g.trim() !== '');
    if (given.length > MAX_GLOBS) problems.push(`${setting}: only the first ${MAX_GLOBS} of ${given.length} globs are used`);
    const compiled: Glob[] = [];
    for (const glob of given.slice(0, MAX_GLOBS)) {
      const result = compileGlob(glob);
      if ('glob' in result) compiled.push(result.glob);
      else problems.push(`${setting} glob ${JSON.stringify(glob.length > 80 ? glob.slice(0, 77) + '…' : glob)} is ignored: ${result.problem}`);
    }
    return compiled;
  };
  const includes = compile('include', include);
  // An include list whose every glob was refused still means "only these": nothing passes.
  const includeGiven = include.some((g) => g.trim() !== '');
  const excludes = compile('exclude', exclude);
  return {
    problems,
    accepts(path: string): boolean {
      const rel = relative(folder, path);
      // Outside the folder the folder's globs say nothing.
      if (rel.startsWith('..')) return true;
      const posix = sep === '/' ? rel : rel.split(sep).join('/');
      if (includeGiven && !includes.some((g) => g.matches(posix))) return false;
      return !excludes.some((g) => g.matches(posix));
    },
  };
}
