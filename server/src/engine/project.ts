import type ts from 'typescript';
import { FileEvaluator, type ModuleResolver } from './evaluator';
import { parse, reparse, reasonToSkip, namesFs, relativeImports } from './parse';
import { PartCache } from './parts';

/** Gives the engine the text of other files of the project (for cross-file summaries). Never throws. */
export interface ProjectFiles {
  getText(fileName: string): string | undefined;
}

const RESOLVE_EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const INDEX_FILES = ['/index.ts', '/index.tsx', '/index.js', '/index.mjs', '/index.cjs'];
/** Any string literal that starts like a relative or absolute module specifier. */
const LOCAL_SPECIFIER = /(['"`])([./][^'"`\n]*)\1/g;
/** How many files' analyses are kept; importers of an evicted file simply re-analyse it. */
const CACHE_LIMIT = 96;
export const DEFAULT_MAX_FILE_SIZE = 2_000_000;

interface Entry {
  text: string;
  sf?: ts.SourceFile;
  /** Built on first use: a file analysed part by part needs no whole-file evaluator. */
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
  /**
   * Where a relative specifier led, per importing file, with the file names it was looked for
   * under: an invalidated file (changed, created, deleted) drops the lookups it could change.
   */
  private readonly located = new Map<string, { fileName: string; text: string } | undefined>();
  /** The lookups (keys of `located`) that tried each file name. */
  private readonly lookupsTrying = new Map<string, Set<string>>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly reachesFsMemo = new Map<string, { text: string; reaches: boolean }>();
  /** Findings of the parts of files that were edited (see parts.ts), kept across their versions. */
  private readonly partCaches = new Map<string, PartCache>();

  constructor(
    readonly files: ProjectFiles,
    readonly maxFileSize = DEFAULT_MAX_FILE_SIZE,
  ) {}

  /**
   * Forget what was learnt from this file (its text changed, or it was deleted). The file's own
   * part findings are kept (they are keyed by its text); its importers' are dropped.
   */
  invalidate(fileName: string): void {
    const stack = [fileName];
    const done = new Set<string>();
    for (const key of this.lookupsTrying.get(fileName) ?? []) this.located.delete(key);
    this.lookupsTrying.delete(fileName);
    while (stack.length) {
      const f = stack.pop()!;
      if (done.has(f)) continue;
      done.add(f);
      const tree = this.entries.get(f)?.sf;
      if (tree) this.previousTrees.set(f, tree);
      this.entries.delete(f);
      if (f !== fileName) this.partCaches.delete(f);
      for (const d of this.dependents.get(f) ?? []) stack.push(d);
      this.dependents.delete(f);
    }
  }

  /** The evaluator of a file at this text (cached), or the reason it is skipped. */
  evaluator(fileName: string, text: string, maxFileSize = this.maxFileSize): Entry {
    const entry = this.parsed(fileName, text, maxFileSize);
    if (entry.sf && !entry.ev) entry.ev = new FileEvaluator(fileName, entry.sf, this);
    return entry;
  }

  /**
   * The part cache of a file being edited: it exists once the file was analysed at an earlier
   * text (or by parts before), so a file analysed once (`zerocopy check`) never pays for parts.
   */
  partsOf(fileName: string): PartCache | undefined {
    return this.partCaches.get(fileName);
  }

  /** A file's syntax tree at this text (cached; re-parsed incrementally after an edit), or why it is skipped. */
  parsed(fileName: string, text: string, maxFileSize = this.maxFileSize): Entry {
    const cached = this.entries.get(fileName);
    if (cached && cached.text === text) {
      this.entries.delete(fileName);
      this.entries.set(fileName, cached); // most recently used last
      return cached;
    }
    if (cached) this.invalidate(fileName);
    const previous = this.previousTrees.get(fileName);
    this.previousTrees.delete(fileName);
    if (previous && previous.text !== text && !this.partCaches.has(fileName)) this.partCaches.set(fileName, new PartCache());
    const skipped = reasonToSkip(text, maxFileSize);
    const entry: Entry = skipped ? { text, skipped } : { text, sf: previous ? reparse(previous, text) : parse(fileName, text) };
    this.entries.set(fileName, entry);
    if (this.entries.size > CACHE_LIMIT) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined && oldest !== fileName) {
        this.invalidate(oldest);
        this.previousTrees.delete(oldest);
        this.partCaches.delete(oldest);
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

  /** Whether a relative or absolute specifier leads to a file of the project. */
  resolves(fromFile: string, spec: string): boolean {
    return this.locate(fromFile, spec) !== undefined;
  }

  /**
   * The texts of the files these specifiers of `fileName` lead to, and of every file those name by
   * a string that looks like a relative or absolute specifier (a superset of what they import).
   */
  importedTexts(fileName: string, specifiers: string[]): string[] {
    const texts: string[] = [];
    const seen = new Set<string>([fileName]);
    const stack = specifiers.map((spec) => ({ from: fileName, spec }));
    while (stack.length) {
      const { from, spec } = stack.pop()!;
      const target = this.locate(from, spec);
      if (!target || seen.has(target.fileName)) continue;
      seen.add(target.fileName);
      texts.push(target.text);
      for (const m of target.text.matchAll(LOCAL_SPECIFIER)) stack.push({ from: target.fileName, spec: m[2]! });
    }
    return texts;
  }

  loaded(fileName: string): FileEvaluator | undefined {
    return this.entries.get(fileName)?.ev;
  }

  /**
   * Whether a file imports itself, through the imports resolved so far (`a` -> `b` -> `a`): its
   * importers then see its own evaluator, so its analysis cannot be split into parts.
   */
  importsItself(fileName: string): boolean {
    const stack = [...(this.dependents.get(fileName) ?? [])];
    const seen = new Set<string>();
    while (stack.length) {
      const f = stack.pop()!;
      if (f === fileName) return true;
      if (seen.has(f)) continue;
      seen.add(f);
      stack.push(...(this.dependents.get(f) ?? []));
    }
    return false;
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
    if (this.located.has(key)) return this.located.get(key);
    let found: { fileName: string; text: string } | undefined;
    for (const candidate of candidatesOf(fromFile, spec)) {
      (this.lookupsTrying.get(candidate) ?? this.lookupsTrying.set(candidate, new Set()).get(candidate)!).add(key);
      const text = this.files.getText(candidate);
      if (text === undefined) continue;
      found = { fileName: candidate, text };
      break;
    }
    this.located.set(key, found);
    return found;
  }
}

/** The file names a relative or absolute specifier may name, in the order Node tries them. */
function candidatesOf(fromFile: string, spec: string): string[] {
  const base = spec.startsWith('/') ? spec : joinPath(dirname(fromFile), spec);
  const stems = [base];
  // TypeScript's ESM convention: `import './x.js'` names the file x.ts.
  const js = /\.(m|c)?js$/.exec(base);
  if (js) stems.push(base.slice(0, -js[0].length));
  return stems.flatMap((stem) => [...RESOLVE_EXTENSIONS.map((e) => stem + e), ...INDEX_FILES.map((i) => stem + i)]).filter((c) => c !== fromFile);
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
