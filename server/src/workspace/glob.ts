/**
 * Globs as VS Code writes them (`*`, `**`, `?`, `[a-z]`, `[!x]`, `{a,b}`, `\` to escape), matched
 * without regular expressions. The globs come from settings, and a repository's own
 * `.vscode/settings.json` is settings: a glob compiled to a backtracking regular expression can take
 * exponential time (`+(a|aa)+(a|aa)b`) or millions of steps per name (`*a*a*a*a*a*b`), and brace
 * expansion can produce millions of alternatives (`{a,b}{a,b}…`, `{1..100000}`). Here:
 * - matching is the two-pointer wildcard walk within a path segment, and a table over segments
 *   for `**`: time grows with the glob's length times the path's, never exponentially;
 * - braces expand to at most MAX_ALTERNATIVES globs (numeric ranges are not expanded: VS Code's
 *   globs have none), and a glob over MAX_GLOB_CHARS characters is refused; a refused glob is
 *   reported with the reason and matches nothing.
 * Wildcards match names that start with a dot, as VS Code's do.
 */

/** Longer globs are refused (VS Code's own exclude globs are a few dozen characters). */
export const MAX_GLOB_CHARS = 1_000;
/** A glob whose braces expand to more alternatives than this is refused. */
export const MAX_ALTERNATIVES = 256;

export interface Glob {
  /** Whether `path` (relative, `/`-separated) matches. */
  matches(path: string): boolean;
}

export type CompiledGlob = { glob: Glob } | { problem: string };

type Token = { t: 'char'; c: string } | { t: 'any' } | { t: 'star' } | { t: 'class'; negated: boolean; ranges: Array<[number, number]> };
type Segment = Token[] | 'globstar';

export function compileGlob(source: string): CompiledGlob {
  let text = source.trim();
  if (text.length > MAX_GLOB_CHARS) return { problem: `longer than ${MAX_GLOB_CHARS} characters` };
  const negated = text.startsWith('!');
  if (negated) text = text.slice(1);
  const alternatives = expandBraces(text);
  if (alternatives === undefined) return { problem: `its braces expand to more than ${MAX_ALTERNATIVES} globs` };
  // A glob without `/` names a file in any folder (`*.test.js`); one with `/` a path from the folder.
  const byName = !text.includes('/');
  const compiled = alternatives.map((alternative) => segmentsOf(alternative.replace(/^(\.\/)+/, '')));
  const matchesAny = (path: string) => {
    const parts = path.split('/');
    const name = parts[parts.length - 1]!;
    return compiled.some((segments) => matchPath(segments, byName ? [name] : parts));
  };
  return { glob: { matches: (path) => matchesAny(path) !== negated } };
}

/** Brace alternatives, expanded (nested braces too); undefined past MAX_ALTERNATIVES. */
function expandBraces(glob: string): string[] | undefined {
  const out: string[] = [];
  const pending = [glob];
  while (pending.length > 0) {
    const text = pending.pop()!;
    const group = firstBraceGroup(text);
    if (!group) {
      out.push(text);
      if (out.length > MAX_ALTERNATIVES) return undefined;
      continue;
    }
    const prefix = text.slice(0, group.open);
    const suffix = text.slice(group.close + 1);
    for (const option of group.options) pending.push(prefix + option + suffix);
    if (out.length + pending.length > MAX_ALTERNATIVES) return undefined;
  }
  return out.reverse();
}

/** The first `{…}` with a comma at its own level (`{a}` is literal, as in a shell). */
function firstBraceGroup(text: string): { open: number; close: number; options: string[] } | undefined {
  for (let open = 0; open < text.length; open++) {
    if (text[open] === '\\') {
      open++;
      continue;
    }
    if (text[open] !== '{') continue;
    let depth = 0;
    const commas: number[] = [];
    for (let i = open; i < text.length; i++) {
      const c = text[i];
      if (c === '\\') i++;
      else if (c === '{') depth++;
      else if (c === ',' && depth === 1) commas.push(i);
      else if (c === '}' && --depth === 0) {
        if (commas.length === 0) break;
        const bounds = [open, ...commas, i];
        const options = bounds.slice(1).map((end, k) => text.slice(bounds[k]! + 1, end));
        return { open, close: i, options };
      }
    }
  }
  return undefined;
}

function segmentsOf(glob: string): Segment[] {
  const segments: Segment[] = [];
  for (const part of glob.split('/')) {
    if (part === '**') {
      if (segments[segments.length - 1] !== 'globstar') segments.push('globstar');
    } else {
      segments.push(tokensOf(part));
    }
  }
  // `src/` (a trailing slash) names the same as `src`.
  if (segments.length > 1 && Array.isArray(segments[segments.length - 1]) && (segments[segments.length - 1] as Token[]).length === 0) segments.pop();
  return segments;
}

function tokensOf(part: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === '\\' && i + 1 < part.length) tokens.push({ t: 'char', c: part[++i]! });
    else if (c === '*') {
      if (tokens[tokens.length - 1]?.t !== 'star') tokens.push({ t: 'star' });
    } else if (c === '?') tokens.push({ t: 'any' });
    else if (c === '[') {
      const cls = classAt(part, i);
      if (cls) {
        tokens.push(cls.token);
        i = cls.end;
      } else tokens.push({ t: 'char', c });
    } else tokens.push({ t: 'char', c });
  }
  return tokens;
}

/** A `[…]` class starting at `start`, or undefined when it is not closed (then `[` is literal). */
function classAt(part: string, start: number): { token: Token; end: number } | undefined {
  let i = start + 1;
  const negated = part[i] === '!' || part[i] === '^';
  if (negated) i++;
  const ranges: Array<[number, number]> = [];
  let first = true;
  for (; i < part.length; i++) {
    let c = part[i]!;
    if (c === ']' && !first) return { token: { t: 'class', negated, ranges }, end: i };
    first = false;
    if (c === '\\' && i + 1 < part.length) c = part[++i]!;
    let high = c;
    if (part[i + 1] === '-' && i + 2 < part.length && part[i + 2] !== ']') {
      high = part[i + 2] === '\\' && i + 3 < part.length ? part[i + 3]! : part[i + 2]!;
      i += part[i + 2] === '\\' ? 3 : 2;
    }
    ranges.push([c.charCodeAt(0), high.charCodeAt(0)]);
  }
  return undefined;
}

function tokenMatches(token: Token, c: string): boolean {
  switch (token.t) {
    case 'char':
      return token.c === c;
    case 'any':
      return true;
    case 'class': {
      const code = c.charCodeAt(0);
      return token.ranges.some(([low, high]) => code >= low && code <= high) !== token.negated;
    }
    case 'star':
      return false;
  }
}

/**
 * One path segment against one glob segment: the wildcard walk that remembers only the last `*`
 * (each `*` resumes one character later on a mismatch), at most length(glob) × length(name) steps.
 */
function matchSegment(tokens: readonly Token[], name: string): boolean {
  let p = 0;
  let i = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (i < name.length) {
    const token = tokens[p];
    if (token && token.t !== 'star' && tokenMatches(token, name[i]!)) {
      p++;
      i++;
    } else if (token?.t === 'star') {
      starAt = p++;
      resumeAt = i;
    } else if (starAt >= 0) {
      p = starAt + 1;
      i = ++resumeAt;
    } else {
      return false;
    }
  }
  while (tokens[p]?.t === 'star') p++;
  return p === tokens.length;
}

/** Glob segments against path segments, `**` standing for any number of them: a table, row by row. */
function matchPath(segments: readonly Segment[], parts: readonly string[]): boolean {
  // reachable[j]: the first k glob segments can match the first j path segments.
  let reachable = new Array<boolean>(parts.length + 1).fill(false);
  reachable[0] = true;
  for (const segment of segments) {
    const next = new Array<boolean>(parts.length + 1).fill(false);
    for (let j = 0; j <= parts.length; j++) {
      if (segment === 'globstar') next[j] = reachable[j]! || (j > 0 && next[j - 1]!);
      else next[j] = j > 0 && reachable[j - 1]! && matchSegment(segment, parts[j - 1]!);
    }
    reachable = next;
  }
  return reachable[parts.length]!;
}
