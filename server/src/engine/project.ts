import type ts from 'typescript';
import { FileEvaluator, type ModuleResolver } from './evaluator';
import { parse, reparse, reasonToSkip, namesFs, relativeImports } from './parse';

/** Gives the engine the text of other files of the project (for cross-file summaries). Never throws. */
export interface ProjectFiles {
  getText(fileName: string): string | undefined;
}

const RESOLVE_EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const INDEX_FILES = ['/index.ts', '/index.tsx', '/index.js', '/index.mjs', '/index.cjs'];
/** How many files' analyses are kept; importers of an evicted file simply re-analyse it. */
const CACHE_LIMIT = 96;
export const DEFAULT_MAX_FILE_SIZE = 2_000_000;

interface Entry {
  text: string;
  ev?: FileEvaluator;
  skipped?: string;
}

/**
 * Holds each file's analysis, keyed by its text, so a module imported by many files is analysed
 * once per version; `invalidate` drops a file and every analysis that looked into it.
 */
export class Project implements ModuleResolver {
  private readonly entries = new Map<string, Entry>();
  /** Trees of invalidated files, kept so that their next version re-parses incrementally. */
  private readonly previousTrees = new Map<string, ts.SourceFile>();
  /** Where a relative specifier led, per importing folder (cleared on any invalidation). */
  private readonly located = new Map<string, { fileName: string; text: string } | null>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly reachesFsMemo = new Map<string, { text: string; reaches: boolean }>();

  constructor(
    readonly files: ProjectFiles,
    readonly maxFileSize = DEFAULT_MAX_FILE_SIZE,
  ) {}

  /** Forget what was learnt from this file (its text changed, or it was deleted). */
  invalidate(fileName: string): void {
    const stack = [fileName];
    const done = new Set<string>();
    this.located.clear();
    while (stack.length) {
      const f = stack.pop()!;
      if (done.has(f)) continue;
      done.add(f);
      const tree = this.entries.get(f)?.ev?.sf;
      if (tree) this.previousTrees.set(f, tree);
      this.entries.delete(f);
      for (const d of this.dependents.get(f) ?? []) stack.push(d);
      this.dependents.delete(f);
    }
  }

  /** The evaluator of a file at this text (cached), or the reason it is skipped. */
  evaluator(fileName: string, text: string, maxFileSize = this.maxFileSize): Entry {
    const cached = this.entries.get(fileName);
    if (cached && cached.text === text) {
      this.entries.delete(fileName);
      this.entries.set(fileName, cached); // most recently used last
      return cached;
    }
    if (cached) this.invalidate(fileName);
    const previous = this.previousTrees.get(fileName);
    this.previousTrees.delete(fileName);
    const skipped = reasonToSkip(text, maxFileSize);
    const entry: Entry = skipped ? { text, skipped } : { text, ev: new FileEvaluator(fileName, previous ? reparse(previous, text) : parse(fileName, text), this) };
    this.entries.set(fileName, entry);
    if (this.entries.size > CACHE_LIMIT) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined && oldest !== fileName) {
        this.invalidate(oldest);
        this.previousTrees.delete(oldest);
      }
    }
    // Only recently edited files keep an old tree around.
    if (this.previousTrees.size > 8) this.previousTrees.delete(this.previousTrees.keys().next().value!);
    return entry;
  }

  /**
   * Whether a file can hold a finding at all: every source is an fs call, so the file must name an
   * fs module itself or import (transitively) a local module that does. A text scan, no parse.
   */
  mayHoldFindings(fileName: string, text: string): boolean {
    return this.reachesFs(fileName, text, new Set());
  }

  private reachesFs(fileName: string, text: string, visiting: Set<string>): boolean {
    const memo = this.reachesFsMemo.get(fileName);
    if (memo && memo.text === text) return memo.reaches;
    if (visiting.has(fileName)) return false;
    visiting.add(fileName);
    let reaches = namesFs(text);
    for (const spec of reaches ? [] : relativeImports(text)) {
      const target = this.locate(fileName, spec);
      if (target && this.reachesFs(target.fileName, target.text, visiting)) {
        reaches = true;
        break;
      }
    }
    visiting.delete(fileName);
    this.reachesFsMemo.set(fileName, { text, reaches });
    return reaches;
  }

  loaded(fileName: string): FileEvaluator | undefined {
    return this.entries.get(fileName)?.ev;
  }

  resolve(fromFile: string, spec: string): FileEvaluator | undefined {
    const target = this.locate(fromFile, spec);
    if (!target) return undefined;
    let deps = this.dependents.get(target.fileName);
    if (!deps) this.dependents.set(target.fileName, (deps = new Set()));
    deps.add(fromFile);
    return this.evaluator(target.fileName, target.text).ev;
  }

  /** Node's resolution of a relative specifier, over the project's files. */
  private locate(fromFile: string, spec: string): { fileName: string; text: string } | undefined {
    const key = `${fromFile}\u0000${spec}`;
    const hit = this.located.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.search(fromFile, spec);
    this.located.set(key, found ?? null);
    return found;
  }

  private search(fromFile: string, spec: string): { fileName: string; text: string } | undefined {
    const base = spec.startsWith('/') ? spec : joinPath(dirname(fromFile), spec);
    const stems = [base];
    // TypeScript's ESM convention: `import './x.js'` names the file x.ts.
    const js = /\.(m|c)?js$/.exec(base);
    if (js) stems.push(base.slice(0, -js[0].length));
    for (const stem of stems) {
      for (const candidate of [...RESOLVE_EXTENSIONS.map((e) => stem + e), ...INDEX_FILES.map((i) => stem + i)]) {
        if (candidate === fromFile) continue;
        const text = this.files.getText(candidate);
        if (text !== undefined) return { fileName: candidate, text };
      }
    }
    return undefined;
  }
}

/** Path arithmetic on file names as given (POSIX or Windows separators); the engine does no I/O. */
function dirname(fileName: string): string {
  const i = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
  return i <= 0 ? fileName.slice(0, i + 1) || '.' : fileName.slice(0, i);
}

function joinPath(dir: string, spec: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  const parts = dir.split(/[\\/]/);
  for (const seg of spec.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 1) parts.pop();
    } else parts.push(seg);
  }
  return parts.join(sep);
}
