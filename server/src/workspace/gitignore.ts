/**
 * `.gitignore` semantics for walking a folder: every `.gitignore` from the walked root down
 * applies to the paths below its own folder, and a deeper file's rules win over a shallower
 * one's (as in git, a negation cannot re-include a path whose parent folder is ignored, because
 * the walker never descends into an ignored folder).
 *
 * Pattern matching itself is the `ignore` package's (pinned), which follows git's rules.
 */
import ignore, { type Ignore } from 'ignore';
import { join, relative, sep } from 'node:path';
import { readRegularFileSync } from './regularFile';

/** A `.gitignore` larger than this is not read (git's own are a few KB). */
const MAX_GITIGNORE_BYTES = 1_000_000;

interface RuleSet {
  /** The folder holding the `.gitignore`; patterns are relative to it. */
  base: string;
  rules: Ignore;
}

/** An immutable stack of rule sets, one per folder on the way down from the walked root. */
export class GitignoreStack {
  private constructor(private readonly sets: readonly RuleSet[]) {}

  static empty(): GitignoreStack {
    return new GitignoreStack([]);
  }

  /**
   * The stack for `folder`: this one plus `folder/.gitignore` if it is a regular file that can
   * be read, within the size limit (a FIFO or a device named `.gitignore` is not read).
   */
  enter(folder: string): GitignoreStack {
    const read = readRegularFileSync(join(folder, '.gitignore'), MAX_GITIGNORE_BYTES);
    return 'bytes' in read ? this.withRules(folder, read.bytes.toString('utf8')) : this;
  }

  /** The stack plus rules given as text (the contents of a `.gitignore` in `base`). */
  withRules(base: string, gitignoreText: string): GitignoreStack {
    return new GitignoreStack([...this.sets, { base, rules: ignore().add(gitignoreText) }]);
  }

  /** Whether `path` (absolute) is ignored; `isDirectory` matters for patterns ending in `/`. */
  ignores(path: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const { base, rules } of this.sets) {
      const rel = relative(base, path);
      if (rel === '' || rel.startsWith('..')) continue;
      const posix = sep === '/' ? rel : rel.split(sep).join('/');
      const result = rules.test(isDirectory ? posix + '/' : posix);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}
