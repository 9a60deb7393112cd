import type ts from 'typescript';
import { FileEvaluator, type ModuleResolver } from './evaluator';
import { parse, reparse, reasonToSkip, namesFs, relativeImports } from './parse';
import { calledMethodNames, definedNames, functionsStoredAs, handsSourceOut, isGuessableMethodName, mayHandSourceOut, mayReadFiles, MAX_DEFINING_FILES, type FnVal } from './methods';

/** Gives the engine the text of other files of the project (for cross-file summaries). Never throws. */
export interface ProjectFiles {
  getText(fileName: string): string | undefined;
  /**
   * The project's source files, when known: a method called on an object the engine cannot see
   * (`this.fs.read(…)`) is then looked up by name among them. The same array while the listing is
   * unchanged; a new one when files were added or removed.
   */
  list?(): readonly string[];
}

const RESOLVE_EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const INDEX_FILES = ['/index.ts', '/index.tsx', '/index.js', '/index.mjs', '/index.cjs'];
/** How many files' analyses are kept; importers of an evicted file simply re-analyse it. */
const CACHE_LIMIT = 96;
export const DEFAULT_MAX_FILE_SIZE = 2_000_000;

interface ProjectText {
  fileName: string;
  text: string;
}

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
  private readonly readsFilesMemo = new Map<string, { text: string; reaches: boolean }>();
  /** Each listed file's text and the property names it may store a function under (dropped when the file changes). */
  private readonly namesMemo = new Map<string, { text: string; names: Set<string> } | null>();
  /** Per method name: the files of the project that may store a function under it, with their text. */
  private readonly definers = new Map<string, ProjectText[]>();
  private listing: readonly string[] | undefined;
  private namesToFiles: Map<string, string[]> | undefined;
  /** Listed files changed since the name index was built: scanned again when it is next used. */
  private readonly rescan = new Set<string>();
  /** Per file: whether it calls by name a method of the project that hands out a file source. */
  private readonly callsHandingMemo = new Map<string, { text: string; calls: boolean }>();
  /** Per method name: whether a function the project stores under it hands out a file source. */
  private readonly handingNames = new Map<string, boolean>();

  constructor(
    readonly files: ProjectFiles,
    readonly maxFileSize = DEFAULT_MAX_FILE_SIZE,
  ) {}

  /** Forget what was learnt from this file (its text changed, or it was deleted). */
  invalidate(fileName: string): void {
    this.forgetNames(fileName);
    this.forgetLookups();
    this.drop(fileName);
  }

  /** Drops the analyses of a file and of every file that looked into it (texts unchanged: an eviction). */
  private drop(fileName: string): void {
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
        this.drop(oldest);
        this.previousTrees.delete(oldest);
      }
    }
    // Only recently edited files keep an old tree around.
    if (this.previousTrees.size > 8) this.previousTrees.delete(this.previousTrees.keys().next().value!);
    return entry;
  }

  /**
   * Whether a file can hold a finding at all: every source is an fs call, so the file must name an
   * fs module itself, import (transitively) a local module that does, or call by name (`x.m(…)`) a
   * method of the project that hands out a file source. Text scans, except for that last test,
   * which evaluates the few functions the project stores under a name (see methods.ts).
   */
  mayHoldFindings(fileName: string, text: string): boolean {
    return this.reaches(fileName, text, namesFs, this.reachesFsMemo, new Set()) || this.callsHandingMethod(fileName, text);
  }

  private callsHandingMethod(fileName: string, text: string): boolean {
    if (!this.files.list) return false;
    this.syncListing();
    const memo = this.callsHandingMemo.get(fileName);
    if (memo && memo.text === text) return memo.calls;
    let calls = false;
    for (const name of calledMethodNames(text)) if ((calls = this.isHandingName(fileName, name))) break;
    this.callsHandingMemo.set(fileName, { text, calls });
    return calls;
  }

  /** A file that reads files (or imports one that does): one that may define a method handing a source out. */
  private readsFiles({ fileName, text }: ProjectText): boolean {
    return this.reaches(fileName, text, mayReadFiles, this.readsFilesMemo, new Set());
  }

  /**
   * Whether a function stored under `name` in a file that reads files hands out a file source:
   * a text test on the function first, then evaluation. Memoised per name.
   */
  private isHandingName(fromFile: string, name: string): boolean {
    let hands = this.handingNames.get(name);
    if (hands !== undefined) return hands;
    this.handingNames.set(name, false); // a cycle through this name hands nothing more
    const mayHand = (n: string) => this.definingFiles(n).some((d) => this.readsFiles(d));
    hands = this.definingFiles(name).some(
      (d) => this.readsFiles(d) && this.methodsIn(fromFile, d, name).some((f) => mayHandSourceOut(f, mayHand) && handsSourceOut(f)),
    );
    this.handingNames.set(name, hands);
    return hands;
  }

  /**
   * The functions stored under property name `name` in files of the project that may hand a source
   * out (they read files, or call a method that hands one out); none when more than a few files
   * store that name (then it is too common a name to guess a callee from).
   */
  methodsNamed(fromFile: string, name: string): FnVal[] {
    return this.definingFiles(name).flatMap((d) => (this.readsFiles(d) || this.callsHandingMethod(d.fileName, d.text) ? this.methodsIn(fromFile, d, name) : []));
  }

  private methodsIn(fromFile: string, { fileName, text }: ProjectText, name: string): FnVal[] {
    const ev = this.evaluator(fileName, text).ev;
    if (!ev) return [];
    if (fileName !== fromFile) {
      let deps = this.dependents.get(fileName);
      if (!deps) this.dependents.set(fileName, (deps = new Set()));
      deps.add(fromFile);
    }
    return functionsStoredAs(ev, name);
  }

  /** A changed file: its names leave the index, and come back from its new text when next asked. */
  private forgetNames(fileName: string): void {
    const old = this.namesMemo.get(fileName);
    this.namesMemo.delete(fileName);
    if (!this.namesToFiles) return;
    for (const name of old?.names ?? []) {
      const list = this.namesToFiles.get(name);
      const at = list ? list.indexOf(fileName) : -1;
      if (at !== -1) list!.splice(at, 1);
    }
    if (this.listing?.includes(fileName)) this.rescan.add(fileName);
  }

  /** What was looked up by name, evaluated or not, is dropped on any change. */
  private forgetLookups(): void {
    this.definers.clear();
    this.callsHandingMemo.clear();
    this.handingNames.clear();
  }

  /** What was learnt from the listing is dropped when it changes. */
  private syncListing(): readonly string[] {
    const listing = this.files.list?.() ?? [];
    if (listing !== this.listing) {
      this.listing = listing;
      this.namesToFiles = undefined;
      this.forgetLookups();
    }
    return listing;
  }

  private definingFiles(name: string): ProjectText[] {
    if (!isGuessableMethodName(name)) return [];
    this.syncListing();
    const hit = this.definers.get(name);
    if (hit) return hit;
    const files = this.nameIndex().get(name) ?? [];
    const result = files.length > MAX_DEFINING_FILES ? [] : files.map((fileName) => ({ fileName, text: this.scanned(fileName)!.text }));
    this.definers.set(name, result);
    return result;
  }

  /** Property name -> the listed files that may store a function under it. */
  private nameIndex(): Map<string, string[]> {
    let index = this.namesToFiles;
    const scan = index ? [...this.rescan] : (this.listing ?? []);
    this.rescan.clear();
    index ??= this.namesToFiles = new Map();
    for (const fileName of scan) {
      for (const name of this.scanned(fileName)?.names ?? []) {
        const list = index.get(name);
        if (list) list.push(fileName);
        else index.set(name, [fileName]);
      }
    }
    return index;
  }

  /** A listed file's text and the property names it may store a function under. */
  private scanned(fileName: string): { text: string; names: Set<string> } | undefined {
    let entry = this.namesMemo.get(fileName);
    if (entry === undefined) {
      const text = this.files.getText(fileName);
      entry = text === undefined || text.length > this.maxFileSize ? null : { text, names: definedNames(text) };
      this.namesMemo.set(fileName, entry);
    }
    return entry ?? undefined;
  }

  /** Whether a file, or a local module it imports (transitively), passes a text test. */
  private reaches(fileName: string, text: string, test: (text: string) => boolean, memo: Map<string, { text: string; reaches: boolean }>, visiting: Set<string>): boolean {
    const hit = memo.get(fileName);
    if (hit && hit.text === text) return hit.reaches;
    if (visiting.has(fileName)) return false;
    visiting.add(fileName);
    let reaches = test(text);
    for (const spec of reaches ? [] : relativeImports(text)) {
      const target = this.locate(fileName, spec);
      if (target && this.reaches(target.fileName, target.text, test, memo, visiting)) {
        reaches = true;
        break;
      }
    }
    visiting.delete(fileName);
    memo.set(fileName, { text, reaches });
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
