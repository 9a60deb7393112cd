import ts from 'typescript';
import { chargeEvaluationBudget, FileEvaluator, withEvaluationBudget, type ModuleResolver } from './evaluator';
import { parse, reparse, reasonToSkip, namesFs } from './parse';
import { ModuleModel, dirname, importSpecifiers, isRelativeSpecifier, joinPath } from './resolve';
import { namesHttpClient } from './clients';
import { calledMethodNames, definedNames, functionsStoredAs, implementsKey, isIndexedMethodName, mayReadFiles, MAX_HANDING_CANDIDATES, MAX_HOPS, namesWorthEvaluating, storesHandingFunction, type FnVal } from './methods';
import { PartCache } from './parts';
import type { Val } from './values';

/**
 * How many questions (evaluator.ts, guarded) finding out whether a file hands a source out under a
 * name may ask. The by-name lookup is a guess: one reaching through a whole compiler's object graph
 * (a bundler's generator asked for `getSize`) cost 20 s and found nothing; past this, the answer is no.
 */
const NAME_GUESS_QUESTIONS = 50_000;
/**
 * What parsing a file and building its scopes cost a guess, in characters of the file per question
 * (chargeEvaluationBudget): on a profile of `check` over the bench corpus, a question averaged about
 * as much CPU time as parsing 100 characters, or building the scopes of 400.
 */
const PARSED_CHARS_PER_QUESTION = 100;
const SCOPED_CHARS_PER_QUESTION = 400;

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
/**
 * What a specifier may name that is no code to analyse: type declarations, and files with another
 * extension (`require('../package.json')`, `import './app.css'`). Extensionless files stay.
 */
const NOT_CODE = /\.d\.[cm]?ts$|\.(?![cm]?[jt]sx?$)[A-Za-z0-9]+$/;
/** Any string literal that starts like a relative or absolute module specifier. */
/** At most this many modules a computed specifier may name (`require('./stores/' + type)`). */
const MAX_COMPUTED_MODULES = 16;
const LOCAL_SPECIFIER = /(['"`])([./][^'"`\n]*)\1/g;
/**
 * How many files' analyses a project keeps by default (the language server's); importers of an
 * evicted file simply re-analyse it.
 */
const DEFAULT_CACHE_LIMIT = 96;
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
  private readonly located = new Map<string, Target | undefined>();
  /** The files lookups found, one per file name: the importers of a file share its text. */
  private readonly targets = new Map<string, Target>();
  /**
   * Where a non-relative specifier led (the module model: tsconfig paths, workspace packages,
   * package.json imports), per importing folder; dropped when the listing changes (a workspace
   * package may have joined it) and, by stem, like `located`.
   */
  private readonly bareLocated = new Map<string, Target | undefined>();
  private bareListing: readonly string[] | undefined;
  private listedSet: { of: readonly string[]; set: Set<string> } | undefined;
  /** The lookups (keys of `located` and `bareLocated`) by the stems they tried file names under (`/a/b` for `./b`). */
  private readonly lookupsByStem = new Map<string, Set<string>>();
  private modules: ModuleModel;
  private readonly dependents = new Map<string, Set<string>>();
  /**
   * Per file: whether it reaches an fs module, for the text with this fingerprint (memos keep a
   * fingerprint, not the text: a workspace's texts would otherwise outlive its analysis).
   */
  private readonly reachesFsMemo = new Map<string, { print: number; reaches: boolean }>();
  private readonly reachesClientMemo = new Map<string, { print: number; reaches: boolean }>();
  /** Per file: whether it reads files (or imports one that does); dropped on any change. */
  private readonly readsFilesMemo = new Map<string, boolean>();
  /**
   * Per budget of hops, then per file: whether it reaches a file that reads files through the methods
   * it calls by name; dropped on any change. One map per budget, keyed by the file name itself: the
   * lookup runs for every file, name called and file defining it, too often to build a key string.
   */
  private readonly hopsMemo: Array<Map<string, boolean>> = [];
  /** Per listed file, what its own text says (it reads files, what it imports, the methods it calls by name); dropped when the file changes. */
  private readonly ownFacts = new Map<string, { reads: boolean; imports: string[]; calls: string[] } | null>();
  /** Each listed file's property names it may store a function under (dropped when the file changes). */
  private readonly namesMemo = new Map<string, Set<string> | null>();
  /** Per method name: the files of the project that may store a function under it. */
  private readonly definers = new Map<string, string[]>();
  private listing: readonly string[] | undefined;
  private namesToFiles: Map<string, string[]> | undefined;
  /** Listed files changed since the name index was built: scanned again when it is next used. */
  private readonly rescan = new Set<string>();
  /** Per file: whether it calls by name a method of the project that hands out a file source. */
  private readonly callsHandingMemo = new Map<string, { print: number; calls: boolean }>();
  /**
   * Per file and name: whether it stores a function handing a source out under the name. Kept when the
   * file is evicted; dropped when it, or a file it looked into, changes.
   */
  private readonly handingByFile = new Map<string, { worth: Set<string>; forwards: Map<string, Set<string>>; answers: Map<string, boolean> }>();
  /** Findings of the parts of files that were edited (see parts.ts), kept across their versions. */
  private readonly partCaches = new Map<string, PartCache>();

  constructor(
    readonly files: ProjectFiles,
    readonly maxFileSize = DEFAULT_MAX_FILE_SIZE,
    /** How many files' trees and evaluators are kept (least recently used first out). */
    readonly cacheLimit = DEFAULT_CACHE_LIMIT,
  ) {
    this.modules = this.newModuleModel();
  }

  private newModuleModel(): ModuleModel {
    return new ModuleModel(this.files, () => this.files.list?.());
  }

  /**
   * Whether module resolution read (or looked for) this file: a tsconfig.json, jsconfig.json,
   * package.json or workspace file. A change to it (or its creation) goes to `invalidate`, which
   * then forgets every analysis: where the project's imports lead may have changed.
   */
  isModuleConfig(fileName: string): boolean {
    return this.modules.readsConfig(fileName);
  }

  /**
   * Forget what was learnt from this file (its text changed, or it was deleted). The file's own
   * part findings are kept (they are keyed by its text); its importers' are dropped.
   */
  invalidate(fileName: string): void {
    if (this.modules.readsConfig(fileName)) return this.forgetModules();
    this.forgetNames(fileName);
    this.forgetLookups();
    for (const f of this.drop(fileName)) this.handingByFile.delete(f);
    // Another file's parts may have looked into this one (an import, a method looked up by name).
    for (const f of this.partCaches.keys()) if (f !== fileName) this.partCaches.delete(f);
  }

  /**
   * A module config changed: every lookup and analysis may have changed with it. Trees are kept for
   * incremental parsing, the name index is kept (it depends on texts only).
   */
  private forgetModules(): void {
    this.modules = this.newModuleModel();
    this.located.clear();
    this.bareLocated.clear();
    this.targets.clear();
    this.lookupsByStem.clear();
    this.matching = { found: new Map() };
    for (const f of [...this.entries.keys()]) this.drop(f);
    this.reachesFsMemo.clear();
    this.reachesClientMemo.clear();
    this.handingByFile.clear();
    this.partCaches.clear();
    this.forgetLookups();
  }

  /** Drops the analyses of a file and of every file that looked into it (texts unchanged: an eviction). Returns them. */
  private drop(fileName: string): Set<string> {
    const stack = [fileName];
    const done = new Set<string>();
    this.targets.delete(fileName);
    for (const stem of stemsOf(fileName)) {
      for (const key of this.lookupsByStem.get(stem) ?? []) {
        this.located.delete(key);
        this.bareLocated.delete(key);
      }
      this.lookupsByStem.delete(stem);
    }
    // `stores/file.js` or `stores/file/index.js`, in a folder a computed specifier looked into.
    for (const folder of [dirname(fileName), dirname(dirname(fileName))]) {
      const askers = this.matchedFolders.get(folder);
      if (!askers) continue;
      this.matching = { found: new Map() };
      this.reachesFsMemo.clear();
      this.reachesClientMemo.clear();
      stack.push(...askers);
    }
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
    return done;
  }

  /** The evaluator of a file at this text (cached), or the reason it is skipped. */
  evaluator(fileName: string, text: string, maxFileSize = this.maxFileSize): Entry {
    const entry = this.parsed(fileName, text, maxFileSize);
    if (entry.sf && !entry.ev) {
      entry.ev = new FileEvaluator(fileName, entry.sf, this);
      chargeEvaluationBudget(Math.ceil(text.length / SCOPED_CHARS_PER_QUESTION));
    }
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
    const skipped = reasonToSkip(text, maxFileSize, previous?.text);
    const entry: Entry = skipped ? { text, skipped } : { text, sf: previous ? reparse(previous, text) : parse(fileName, text) };
    if (!skipped) chargeEvaluationBudget(Math.ceil(text.length / PARSED_CHARS_PER_QUESTION));
    this.entries.set(fileName, entry);
    if (this.entries.size > this.cacheLimit) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined && oldest !== fileName) {
        this.drop(oldest);
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
   * fs module itself, import (transitively) a local module that does, or call by name (`x.m(…)`) a
   * method another file of the project stores and that hands out a file source. Text scans, except
   * for that last test, which evaluates the few functions stored under a name (see methods.ts).
   */
  mayHoldFindings(fileName: string, text: string): boolean {
    // Most files that hold findings name fs themselves: a native scan, before hashing the text.
    if (namesFs(text)) return true;
    const print = fingerprint(text);
    return this.reachesFs(fileName, text, print, new Set()) || this.callsHandingMethod(fileName, text, print);
  }

  private callsHandingMethod(fileName: string, text: string, print: number): boolean {
    if (!this.files.list) return false;
    this.syncListing();
    const memo = this.callsHandingMemo.get(fileName);
    if (memo && memo.print === print) return memo.calls;
    let calls = false;
    for (const name of calledMethodNames(text)) if ((calls = this.handingFiles(fileName, name).length > 0)) break;
    this.callsHandingMemo.set(fileName, { print, calls });
    return calls;
  }

  /** What a listed file's own text says, read once per version of it (the text is let go). */
  private factsOf(fileName: string): { reads: boolean; imports: string[]; calls: string[] } | undefined {
    let facts = this.ownFacts.get(fileName);
    if (facts === undefined) {
      const text = this.files.getText(fileName);
      // A file the engine would not analyse (too large, minified or generated) has no function it could evaluate: no facts.
      facts = text === undefined || this.skipsListed(fileName, text) ? null : { reads: mayReadFiles(text), imports: importSpecifiers(text), calls: [...calledMethodNames(text)] };
      this.ownFacts.set(fileName, facts);
    }
    return facts ?? undefined;
  }

  /**
   * Whether the engine would skip a listed file (too large, minified or generated), decided once per
   * version of it: its facts and its names are both read from its text, and the test is a pass over it.
   */
  private skipsListed(fileName: string, text: string): boolean {
    let skips = this.skipsMemo.get(fileName);
    if (skips === undefined) this.skipsMemo.set(fileName, (skips = reasonToSkip(text, this.maxFileSize) !== undefined));
    return skips;
  }
  private readonly skipsMemo = new Map<string, boolean>();

  /** A file that reads files (or imports one that does): one that may define a method handing a source out. */
  private readsFiles(fileName: string, visiting = new Set<string>()): boolean {
    const hit = this.readsFilesMemo.get(fileName);
    if (hit !== undefined) return hit;
    if (visiting.has(fileName)) return false;
    visiting.add(fileName);
    const facts = this.factsOf(fileName);
    let reads = !!facts?.reads;
    for (const spec of reads || !facts ? [] : facts.imports) {
      const target = this.locate(fileName, spec);
      if (target && this.readsFiles(target.fileName, visiting)) {
        reads = true;
        break;
      }
    }
    visiting.delete(fileName);
    this.readsFilesMemo.set(fileName, reads);
    return reads;
  }

  /**
   * How many hops of methods called by name separate a file from reading files: 0 when it reads
   * files (or imports one that does), 1 when it calls by name a method another file that reads files
   * defines (a wrapper), and so on up to MAX_HOPS; Infinity beyond. A text-level bound on which files
   * may hand a source out; what each really hands out is learnt by evaluating it.
   */
  private hops(fileName: string): number {
    for (let budget = 0; budget <= MAX_HOPS; budget++) if (this.reaches(fileName, budget)) return budget;
    return Infinity;
  }

  /** Whether a file reads files within `budget` hops (memoised per file and budget: each is worked out once). */
  private reaches(fileName: string, budget: number): boolean {
    const memo = (this.hopsMemo[budget] ??= new Map());
    const hit = memo.get(fileName);
    if (hit !== undefined) return hit;
    memo.set(fileName, false); // a cycle back into this question finds nothing more
    let found = this.readsFiles(fileName);
    if (!found && budget > 0) {
      // A link is a name the other file really hands a source out under (learnt once per file and
      // name), not one it merely defines: generated glue defining hundreds of names, one of whose
      // functions reads a file, would otherwise make every file calling `.set(` a wrapper.
      for (const name of this.factsOf(fileName)?.calls ?? []) {
        if ((found = this.definingFiles(name, fileName).some((d) => d !== fileName && this.reaches(d, budget - 1) && this.handsOutUnder(d, name)))) break;
      }
    }
    memo.set(fileName, found);
    return found;
  }

  /**
   * The files other than `fromFile` that store under `name` a function handing out a file source
   * (they read files, or call by name a method of a file that does; what each hands out is learnt
   * once per version of it). A file's own functions are reached through its own bindings, `this` and
   * classes, never by name.
   */
  private handingFiles(fromFile: string, name: string): string[] {
    return this.handingCandidates(name, fromFile).filter((d) => this.handsOutUnder(d, name));
  }

  /**
   * The files that may store under `name` a function handing a source out, best first: those that
   * read files themselves, then wrappers by how many hops they are from one, nearer the asking file
   * (more path in common) first among equals; at most MAX_HANDING_CANDIDATES, however many files
   * define the name (a large project's `get`, `read`, `open`).
   */
  private handingCandidates(name: string, asker: string): string[] {
    let ranked = this.candidatesMemo.get(name);
    if (!ranked) {
      ranked = [];
      for (const d of this.definingFiles(name, asker)) {
        const h = this.hops(d);
        if (h <= MAX_HOPS) ranked.push({ file: d, hops: h });
      }
      ranked.sort((a, b) => a.hops - b.hops || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
      this.candidatesMemo.set(name, ranked);
    }
    const others = ranked.filter((r) => r.file !== asker);
    if (others.length <= MAX_HANDING_CANDIDATES) return others.map((r) => r.file);
    const near = (f: string) => commonPrefix(f, asker);
    return [...others].sort((a, b) => a.hops - b.hops || near(b.file) - near(a.file)).slice(0, MAX_HANDING_CANDIDATES).map((r) => r.file);
  }
  /** Per method name: its candidate files, ranked (see handingCandidates); dropped on any change. */
  private readonly candidatesMemo = new Map<string, Array<{ file: string; hops: number }>>();

  /** Whether file `fileName` stores under `name` a function handing a source out: learnt once per version of the file. */
  private handsOutUnder(fileName: string, name: string): boolean {
    let known = this.handingByFile.get(fileName);
    let text: string | undefined;
    if (!known) {
      text = this.files.getText(fileName);
      const sf = text === undefined ? undefined : this.parsed(fileName, text).sf;
      known = { ...(sf ? namesWorthEvaluating(sf) : { worth: new Set<string>(), forwards: new Map<string, Set<string>>() }), answers: new Map() };
      this.handingByFile.set(fileName, known);
    }
    let hands = known.answers.get(name);
    if (hands !== undefined) return hands;
    // A wrapper (its functions under `name` name no read API) is evaluated only when a method it calls may hand a source out.
    const forwarding = !known.worth.has(name) && this.forwardsToHanding(fileName, name, known.forwards.get(name));
    if (!known.worth.has(name) && !forwarding) return false;
    known.answers.set(name, false); // a cycle back into this question finds nothing more
    text ??= this.files.getText(fileName);
    const ev = text === undefined ? undefined : this.evaluator(fileName, text).ev;
    hands = !!ev && withEvaluationBudget(NAME_GUESS_QUESTIONS, () => storesHandingFunction(ev, name, forwarding), false);
    known.answers.set(name, hands);
    return hands;
  }

  /**
   * Whether a wrapper stored under `name` calls by name a method that other files, near enough to
   * reading files, define. Worked out once per file and name until anything changes (it depends on
   * other files' hops): most names a caller asks about are asked again from every other caller.
   */
  private forwardsToHanding(fileName: string, name: string, calls: Set<string> | undefined): boolean {
    if (!calls) return false;
    let known = this.forwardingMemo.get(fileName);
    if (!known) this.forwardingMemo.set(fileName, (known = new Map()));
    let forwards = known.get(name);
    if (forwards === undefined) {
      forwards = [...calls].some((m) => this.definingFiles(m, fileName).some((d) => d !== fileName && this.hops(d) < MAX_HOPS));
      known.set(name, forwards);
    }
    return forwards;
  }
  /** Per file, then name: forwardsToHanding's answers; dropped on any change. */
  private readonly forwardingMemo = new Map<string, Map<string, boolean>>();

  /**
   * The functions stored under property name `name` in files of the project that read files and
   * hand a source out under that name; none when more than a few files store that name (then it is
   * too common a name to guess a callee from). Most names hand nothing out: that is known before
   * any call site is evaluated.
   */
  methodsNamed(fromFile: string, name: string): FnVal[] {
    return this.handingFiles(fromFile, name).flatMap((d) => this.methodsIn(fromFile, d, name));
  }

  /**
   * The classes of the project declared with `implements <name>` (an interface a field or a parameter
   * is typed with): from the files the name index says may declare one, at most MAX_IMPLEMENTERS.
   */
  implementersOf(fromFile: string, name: string): Array<Extract<Val, { t: 'cls' }>> {
    const out: Array<Extract<Val, { t: 'cls' }>> = [];
    for (const fileName of this.definingFiles(implementsKey(name), fromFile)) {
      const text = this.files.getText(fileName);
      const ev = text === undefined ? undefined : this.evaluator(fileName, text).ev;
      if (!ev) continue;
      let deps = this.dependents.get(fileName);
      if (!deps) this.dependents.set(fileName, (deps = new Set()));
      deps.add(fromFile);
      for (const st of ev.sf.statements) {
        if (!ts.isClassDeclaration(st) || !implementsNamed(st, name)) continue;
        out.push({ t: 'cls', node: st, file: ev });
        if (out.length >= MAX_IMPLEMENTERS) return out;
      }
    }
    return out;
  }

  private methodsIn(fromFile: string, fileName: string, name: string): FnVal[] {
    const text = this.files.getText(fileName);
    const ev = text === undefined ? undefined : this.evaluator(fileName, text).ev;
    if (!ev) return [];
    let deps = this.dependents.get(fileName);
    if (!deps) this.dependents.set(fileName, (deps = new Set()));
    deps.add(fromFile);
    return functionsStoredAs(ev, name);
  }

  /** A changed file: its names leave the index, and come back from its new text when next asked. */
  private forgetNames(fileName: string): void {
    this.unindex(fileName);
    this.namesMemo.delete(fileName);
    this.ownFacts.delete(fileName);
    this.skipsMemo.delete(fileName);
    if (this.namesToFiles && this.listing?.includes(fileName)) this.rescan.add(fileName);
  }

  /** Takes a file out of the name index (what it was scanned for stays known). */
  private unindex(fileName: string): void {
    if (!this.namesToFiles) return;
    for (const name of this.namesMemo.get(fileName) ?? []) {
      const list = this.namesToFiles.get(name);
      const at = list ? list.indexOf(fileName) : -1;
      if (at !== -1) list!.splice(at, 1);
    }
  }

  /** What was looked up by name, evaluated or not, is dropped on any change. */
  private forgetLookups(): void {
    this.definers.clear();
    this.readsFilesMemo.clear();
    this.hopsMemo.length = 0;
    this.forwardingMemo.clear();
    this.candidatesMemo.clear();
    this.callsHandingMemo.clear();
  }

  /**
   * A new listing (a document opened or closed, a workspace walked): files that left it leave the
   * name index, files that joined it are scanned when the index is next used, and what was
   * looked up by name is dropped.
   */
  private syncListing(): readonly string[] {
    const listing = this.files.list?.() ?? [];
    if (listing === this.listing) return listing;
    if (this.namesToFiles && this.listing) {
      const now = new Set(listing);
      const before = new Set(this.listing);
      for (const fileName of before) {
        if (now.has(fileName)) continue;
        this.unindex(fileName);
        this.rescan.delete(fileName);
      }
      for (const fileName of now) if (!before.has(fileName)) this.rescan.add(fileName);
    }
    this.listing = listing;
    this.forgetLookups();
    return listing;
  }

  /**
   * The listed files that may store a function under `name`. The asking file's own names do not
   * matter (its functions are never looked up by name): edited since the index was built, it is not
   * scanned again for this (the editor's file is not scanned again on every keystroke).
   */
  private definingFiles(name: string, asker: string): string[] {
    if (!isIndexedMethodName(name)) return [];
    this.syncListing();
    const hit = this.definers.get(name);
    if (hit) return hit;
    if (this.namesToFiles && this.rescan.size === 1 && this.rescan.has(asker)) return this.namesToFiles.get(name) ?? [];
    const files = this.nameIndex().get(name) ?? [];
    this.definers.set(name, files);
    return files;
  }

  /** Property name -> the listed files that may store a function under it. */
  private nameIndex(): Map<string, string[]> {
    let index = this.namesToFiles;
    const scan = index ? [...this.rescan] : (this.listing ?? []);
    this.rescan.clear();
    index ??= this.namesToFiles = new Map();
    for (const fileName of scan) {
      for (const name of this.scanned(fileName) ?? []) {
        const list = index.get(name);
        if (list) list.push(fileName);
        else index.set(name, [fileName]);
      }
    }
    return index;
  }

  /** The property names a listed file may store a function under (its text is not kept). */
  private scanned(fileName: string): Set<string> | undefined {
    let entry = this.namesMemo.get(fileName);
    if (entry === undefined) {
      const text = this.files.getText(fileName);
      entry = text === undefined || this.skipsListed(fileName, text) ? null : definedNames(text);
      this.namesMemo.set(fileName, entry);
    }
    return entry ?? undefined;
  }

  /**
   * Whether a file, or a module of the project it imports (transitively), names an HTTP client
   * (clients.ts): only then are its calls worth evaluating for uploads.
   */
  mayUseHttpClient(fileName: string, text: string): boolean {
    if (namesHttpClient(text)) return true;
    return this.reachesFs(fileName, text, fingerprint(text), new Set(), 'client');
  }

  /** Whether a file, or a local module it imports (transitively), names an fs module (or, for 'client', an HTTP client). */
  private reachesFs(fileName: string, text: string, print: number, visiting: Set<string>, what: 'fs' | 'client' = 'fs'): boolean {
    const memo = what === 'fs' ? this.reachesFsMemo : this.reachesClientMemo;
    const hit = memo.get(fileName);
    if (hit && hit.print === print) return hit.reaches;
    if (visiting.has(fileName)) return false;
    visiting.add(fileName);
    let reaches = what === 'fs' ? namesFs(text) : namesHttpClient(text);
    for (const spec of reaches ? [] : this.specifiersOf(fileName, text)) {
      const target = this.locate(fileName, spec);
      if (target && this.reachesFs(target.fileName, target.text, (target.print ??= fingerprint(target.text)), visiting, what)) {
        reaches = true;
        break;
      }
    }
    // `require('./stores/' + type)`: the listed modules of that folder that fit its prefix.
    for (const prefix of reaches ? [] : computedSpecifierPrefixes(text)) {
      for (const f of this.matchingFiles(fileName, prefix, '')) {
        const target = this.existing(f);
        if (target && this.reachesFs(target.fileName, target.text, (target.print ??= fingerprint(target.text)), visiting, what)) {
          reaches = true;
          break;
        }
      }
      if (reaches) break;
    }
    visiting.delete(fileName);
    memo.set(fileName, { print, reaches });
    return reaches;
  }

  /** What a file imports (a text scan), kept with the file's text while importers may ask for it. */
  private specifiersOf(fileName: string, text: string): string[] {
    const target = this.targets.get(fileName);
    return target && target.text === text ? (target.specs ??= importSpecifiers(text)) : importSpecifiers(text);
  }

  /** Whether a specifier leads to a file of the project (relative, absolute, or through the module model). */
  resolves(fromFile: string, spec: string): boolean {
    return this.locate(fromFile, spec) !== undefined;
  }

  /**
   * The texts of the files these specifiers of `fileName` lead to, and of every file those name by
   * a string that looks like a relative or absolute specifier (a superset of what they import) or
   * import through the module model.
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
      for (const spec of importSpecifiers(target.text)) if (!isRelativeSpecifier(spec)) stack.push({ from: target.fileName, spec });
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

  /** The listed files `resolveMatching` stands for (names only; the asking file is noted against the folder). */
  private matchingFiles(fromFile: string, prefix: string, suffix: string): string[] {
    const listed = this.listed();
    if (!listed) return [];
    const cut = prefix.lastIndexOf('/');
    const folder = joinPath(dirname(fromFile), prefix.slice(0, cut + 1));
    const head = prefix.slice(cut + 1);
    const tail = suffix.replace(/\.[cm]?[jt]sx?$/, '');
    (this.matchedFolders.get(folder) ?? this.matchedFolders.set(folder, new Set()).get(folder)!).add(fromFile);
    const key = `${fromFile}\u0000${prefix}\u0000${suffix}`;
    let names = this.matching.of === listed ? this.matching.found.get(key) : undefined;
    if (!names) {
      if (this.matching.of !== listed) this.matching = { of: listed, found: new Map() };
      const found = new Set<string>();
      for (const f of listed) {
        if (f === fromFile || NOT_CODE.test(f) || !f.startsWith(folder) || !/^[\\/]/.test(f.slice(folder.length))) continue;
        const rest = f.slice(folder.length + 1).split(/[\\/]/);
        // `stores/file.js`, or `stores/file/index.js`.
        const name = rest.length === 1 ? rest[0]!.replace(/\.[cm]?[jt]sx?$/, '') : rest.length === 2 && /^index\.[cm]?[jt]sx?$/.test(rest[1]!) ? rest[0]! : undefined;
        if (name === undefined || name.length <= head.length + tail.length || !name.startsWith(head) || !name.endsWith(tail)) continue;
        found.add(f);
      }
      names = found.size > MAX_COMPUTED_MODULES ? [] : [...found].sort();
      this.matching.found.set(key, names);
    }
    return names;
  }

  /**
   * The listed modules a computed relative specifier may name (evaluator `computedRequire`): in the
   * folder `prefix` names, each file (or folder with an index file) whose name, extension aside,
   * starts with the rest of `prefix` and ends with `suffix`. A folder with more than
   * MAX_COMPUTED_MODULES such modules gives none: the choice says too little.
   */
  resolveMatching(fromFile: string, prefix: string, suffix: string): FileEvaluator[] {
    const out: FileEvaluator[] = [];
    for (const f of this.matchingFiles(fromFile, prefix, suffix)) {
      const target = this.existing(f);
      if (!target) continue;
      let deps = this.dependents.get(f);
      if (!deps) this.dependents.set(f, (deps = new Set()));
      deps.add(fromFile);
      const ev = this.evaluator(target.fileName, target.text).ev;
      if (ev) out.push(ev);
    }
    return out;
  }

  resolve(fromFile: string, spec: string): FileEvaluator | undefined {
    const target = this.locate(fromFile, spec);
    if (!target) return undefined;
    let deps = this.dependents.get(target.fileName);
    if (!deps) this.dependents.set(target.fileName, (deps = new Set()));
    deps.add(fromFile);
    return this.evaluator(target.fileName, target.text).ev;
  }

  /** Node's resolution of a specifier over the project's files: relative, absolute, or through the module model. */
  private locate(fromFile: string, spec: string): Target | undefined {
    if (!isRelativeSpecifier(spec)) return this.locateBare(fromFile, spec);
    const key = `${fromFile}\u0000${spec}`;
    if (this.located.has(key)) return this.located.get(key);
    let found: Target | undefined;
    const stems = stemsFor(fromFile, spec);
    this.noteStems(stems, key);
    for (const candidate of stems.flatMap(candidatesOfStem).filter((c) => c !== fromFile && !NOT_CODE.test(c))) {
      found = this.existing(candidate);
      if (found) break;
    }
    this.located.set(key, found);
    return found;
  }

  /**
   * A non-relative specifier, through the module model, per importing folder. A file the project
   * lists wins over one it does not (a workspace package's sources over a build output left on
   * disk); listed files are known without reading anything. What only `baseUrl` makes of a
   * specifier (every package import goes through it) is looked for on disk only when the project's
   * files are not listed.
   */
  private locateBare(fromFile: string, spec: string): Target | undefined {
    const listing = this.files.list?.();
    if (listing !== this.bareListing) {
      this.bareListing = listing;
      this.bareLocated.clear();
    }
    const key = `${dirname(fromFile)}\u0000${spec}`;
    if (this.bareLocated.has(key)) return this.bareLocated.get(key);
    const { mapped, fallback } = this.modules.lookup(fromFile, spec);
    let found: Target | undefined;
    if (mapped.length || fallback.length) {
      const candidates = (stems: string[]): string[] => stems.flatMap(tsStems).flatMap(candidatesOfStem).filter((c) => c !== fromFile && !NOT_CODE.test(c));
      this.noteStems([...mapped, ...fallback].flatMap(tsStems), key);
      const first = candidates(mapped);
      const last = candidates(fallback);
      const listed = this.listed();
      if (listed) for (const c of [...first, ...last]) if (listed.has(c) && (found = this.existing(c))) break;
      if (!found) for (const c of listed ? first : [...first, ...last]) if ((found = this.existing(c))) break;
    }
    this.bareLocated.set(key, found);
    return found;
  }

  private noteStems(stems: string[], key: string): void {
    for (const stem of stems) (this.lookupsByStem.get(stem) ?? this.lookupsByStem.set(stem, new Set()).get(stem)!).add(key);
  }

  /** A file of the project by name, if it exists (its text is kept while importers may ask for it). */
  private existing(fileName: string): Target | undefined {
    let found = this.targets.get(fileName);
    if (found) return found;
    const text = this.files.getText(fileName);
    if (text === undefined) return undefined;
    found = { fileName, text };
    this.targets.set(fileName, found);
    return found;
  }

  /** What `resolveMatching` found per asking file and pattern, for one listing. */
  private matching: { of?: Set<string>; found: Map<string, string[]> } = { found: new Map() };
  /** Folder -> the files whose computed specifiers looked into it: a module added there or changed changes them. */
  private readonly matchedFolders = new Map<string, Set<string>>();

  private listed(): Set<string> | undefined {
    const listing = this.files.list?.();
    if (!listing) return undefined;
    if (this.listedSet?.of !== listing) this.listedSet = { of: listing, set: new Set(listing) };
    return this.listedSet.set;
  }
}

/**
 * The constant relative prefixes of computed module specifiers in a text (a scan, before any parse):
 * `require('./stores/' + type)`, `` import(`./codecs/${name}.js`) `` -> `./stores/`, `./codecs/`.
 */
const COMPUTED_SPECIFIER = /\b(?:require|import)\s*\(\s*(?:(['"])(\.\.?\/[^'"`\n]*)\1\s*\+|`(\.\.?\/[^`$\n]*)\$\{)/g;
function computedSpecifierPrefixes(text: string): string[] {
  if (!text.includes('require') && !text.includes('import')) return [];
  const out = new Set<string>();
  for (const m of text.matchAll(COMPUTED_SPECIFIER)) {
    const prefix = m[2] ?? m[3]!;
    // `'./' + name` alone names nothing (evaluator specifierPattern).
    if (!/^(?:\.\.?\/)+$/.test(prefix)) out.add(prefix);
  }
  return [...out];
}

/** How many leading characters two paths share (files nearer each other share more). */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

interface Target {
  fileName: string;
  text: string;
  print?: number;
  /** The specifiers it imports (`importSpecifiers`). */
  specs?: string[];
}

/**
 * A text's fingerprint: its length (21 bits, the engine's size limit is 2 MB) and a 32-bit FNV-1a
 * hash, exact in a double. Two versions of a file that share it are not told apart.
 */
function fingerprint(text: string): number {
  // An edited file's text is asked about more than once per version (may it hold findings, may it
  // upload): the last text's print is kept (one text, compared by identity or length first).
  if (lastPrinted?.text === text) return lastPrinted.print;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  const print = (h >>> 0) * 0x200000 + (text.length % 0x200000);
  lastPrinted = { text, print };
  return print;
}
let lastPrinted: { text: string; print: number } | undefined;

/** The paths a relative or absolute specifier names, before extensions and index files are tried. */
function stemsFor(fromFile: string, spec: string): string[] {
  return tsStems(spec.startsWith('/') ? spec : joinPath(dirname(fromFile), spec));
}

/** TypeScript's ESM convention: `import './x.js'` names the file x.ts. */
function tsStems(base: string): string[] {
  const js = /\.(m|c)?js$/.exec(base);
  return js ? [base, base.slice(0, -js[0].length)] : [base];
}

/** The file names a stem may name, in the order Node tries them. */
function candidatesOfStem(stem: string): string[] {
  return [...RESOLVE_EXTENSIONS.map((e) => stem + e), ...INDEX_FILES.map((i) => stem + i)];
}

/** The stems under which a lookup may have tried this file name (the inverse of `candidatesOfStem`). */
function stemsOf(fileName: string): string[] {
  const stems = [fileName];
  const ext = RESOLVE_EXTENSIONS.find((e) => e !== '' && fileName.endsWith(e));
  if (ext) stems.push(fileName.slice(0, -ext.length));
  const index = INDEX_FILES.find((i) => fileName.endsWith(i));
  if (index) stems.push(fileName.slice(0, -index.length));
  return stems;
}

/** How many classes implementing one interface are taken as what a value typed with it may be. */
const MAX_IMPLEMENTERS = 8;

/** Whether a class is declared `implements name` (or `implements ns.name`). */
function implementsNamed(c: ts.ClassDeclaration, name: string): boolean {
  return !!c.heritageClauses?.some(
    (h) =>
      h.token === ts.SyntaxKind.ImplementsKeyword &&
      h.types.some((t) => (ts.isIdentifier(t.expression) ? t.expression.text : ts.isPropertyAccessExpression(t.expression) ? t.expression.name.text : undefined) === name),
  );
}
