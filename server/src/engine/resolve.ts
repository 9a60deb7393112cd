/**
 * The module model: where a non-relative specifier leads inside the project. TypeScript's
 * `compilerOptions.paths` and `baseUrl` (tsconfig.json or jsconfig.json, through `extends` chains
 * and the configs a solution tsconfig references), workspace packages (npm/yarn `workspaces`,
 * pnpm-workspace.yaml, lerna.json) reached by their name through their package.json `exports`,
 * `main`, `module` or `types` (the sources when the build output is not there), a package naming
 * itself, and package.json `imports` (`#internal`).
 *
 * Pure like the rest of the engine: configuration texts come from the shells through `getText`,
 * asked for by path up the folder chain of the importing file. Every config path asked for,
 * present or not, is remembered (`readsConfig`): a change to one of them (or its creation) must
 * reset the model, which the project does. Memos are per folder and per specifier, so a project of
 * 10,000 files reads each folder's candidate configs once.
 */
import ts from 'typescript';

export interface ConfigHost {
  getText(fileName: string): string | undefined;
}

/** What a tsconfig chain says about module resolution, with absolute folders. */
interface TsModules {
  baseUrl?: string;
  paths?: { exact: Map<string, string[]>; wild: Array<{ prefix: string; suffix: string; targets: string[] }>; base: string };
  outDir?: string;
  rootDir?: string;
}

interface PackageJson {
  dir: string;
  name?: string;
  exports?: unknown;
  imports?: unknown;
  main?: string;
  module?: string;
  types?: string;
  typings?: string;
  /** Workspace patterns (npm/yarn `workspaces`, pnpm-workspace.yaml, lerna.json), when this folder declares some. */
  workspaces?: string[];
}

interface Workspace {
  root: string;
  patterns: string[][];
  /** Package name -> folder, for the folders found so far. */
  byName?: Map<string, string>;
  /** The listing they were found in. */
  listing?: readonly string[];
}

const TS_CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];
/** Node's own modules (and their subpaths, `fs/promises`): what `require('fs')` is needs no config. */
const NODE_BUILTINS = new Set(
  'assert async_hooks buffer child_process cluster console constants crypto dgram diagnostics_channel dns domain events fs http http2 https inspector module net os path perf_hooks process punycode querystring readline repl stream string_decoder sys timers tls trace_events tty url util v8 vm wasi worker_threads zlib'.split(' '),
);
const NOTHING: { mapped: string[]; fallback: string[] } = Object.freeze({ mapped: [], fallback: [] }) as never;
/** How deep `extends` and `references` chains and `imports` targets are followed. */
const MAX_CHAIN = 8;
/** How many folders of one workspace are looked at for a package.json (a bound for huge listings). */
const MAX_WORKSPACE_FOLDERS = 2_000;

export class ModuleModel {
  /** Every config file asked for: its parsed JSON, or null when absent or unreadable. */
  private readonly configs = new Map<string, Record<string, unknown> | null>();
  private readonly tsByDir = new Map<string, TsModules | null>();
  private readonly tsByConfig = new Map<string, TsModules | null>();
  private readonly scopeByDir = new Map<string, PackageJson | null>();
  private readonly workspaceByDir = new Map<string, Workspace | null>();
  private readonly packages = new Map<string, PackageJson | null>();
  private readonly packageStemsMemo = new Map<string, string[]>();

  constructor(
    private readonly host: ConfigHost,
    /** The project's listed files, when known: workspace folders are found among them. */
    private readonly listing: () => readonly string[] | undefined,
  ) {}

  /** Whether resolution read (or looked for) this file: a change to it changes where specifiers lead. */
  readsConfig(fileName: string): boolean {
    return this.configs.has(fileName);
  }

  /**
   * The stems (paths before extensions and index files are tried) a non-relative specifier may
   * name, most likely first; none when no project configuration maps it (a package of node_modules).
   */
  stemsFor(fromFile: string, spec: string, depth = 0): string[] {
    const { mapped, fallback } = this.lookup(fromFile, spec, depth);
    return unique([...mapped, ...fallback]);
  }

  /**
   * The same, apart: `mapped` stems come from a mapping that names this specifier (tsconfig paths, a
   * workspace package, package.json imports); `fallback` ones only from tsconfig's `baseUrl`, which
   * every bare specifier goes through (`react` -> `<baseUrl>/react`): worth a look among the listed
   * files, not on disk for every package import.
   */
  lookup(fromFile: string, spec: string, depth = 0): { mapped: string[]; fallback: string[] } {
    // `node:fs`, `fs/promises`, `data:…`, URLs: never a file of the project.
    if (depth > MAX_CHAIN || spec === '' || isRelativeSpecifier(spec) || spec.includes(':') || NODE_BUILTINS.has(spec.split('/', 1)[0]!)) return NOTHING;
    const dir = dirname(fromFile);
    const mapped: string[] = [];
    const ts = this.tsFor(dir);
    if (ts?.paths) mapped.push(...matchPaths(ts.paths, spec));
    if (spec.startsWith('#')) return { mapped: unique([...mapped, ...this.importsStems(dir, spec, depth)]), fallback: [] };
    const { name, subpath } = splitPackageName(spec);
    if (name) {
      const folder = this.packageFolder(dir, name);
      if (folder) mapped.push(...this.packageStems(folder, subpath));
    }
    const fallback = ts?.baseUrl !== undefined ? [joinPath(ts.baseUrl, spec)] : [];
    return mapped.length || fallback.length ? { mapped: unique(mapped), fallback } : NOTHING;
  }

  // ---- config files --------------------------------------------------------------------------

  private json(fileName: string): Record<string, unknown> | null {
    if (this.configs.has(fileName)) return this.configs.get(fileName)!;
    const text = this.host.getText(fileName);
    let parsed: Record<string, unknown> | null = null;
    if (text !== undefined) {
      // tsconfig.json and jsconfig.json allow comments and trailing commas; TypeScript reads both.
      const { config } = ts.parseConfigFileTextToJson(fileName, text);
      parsed = isRecord(config) ? config : null;
    }
    this.configs.set(fileName, parsed);
    return parsed;
  }

  /** The text of a file that is not JSON (pnpm-workspace.yaml), remembered as a config all the same. */
  private plainText(fileName: string): string | undefined {
    const text = this.host.getText(fileName);
    if (!this.configs.has(fileName)) this.configs.set(fileName, text === undefined ? null : {});
    return text;
  }

  // ---- tsconfig / jsconfig -------------------------------------------------------------------

  /** The nearest tsconfig.json (or jsconfig.json) up the folder chain, as far as module resolution goes. */
  private tsFor(dir: string): TsModules | null {
    const hit = this.tsByDir.get(dir);
    if (hit !== undefined) return hit;
    let found: TsModules | null = null;
    let config: string | undefined;
    for (const name of TS_CONFIG_NAMES) {
      const fileName = joinPath(dir, name);
      if (this.json(fileName)) {
        config = fileName;
        break;
      }
    }
    if (config) found = this.tsConfig(config, 0);
    else {
      const parent = dirname(dir);
      found = parent === dir ? null : this.tsFor(parent);
    }
    this.tsByDir.set(dir, found);
    return found;
  }

  /**
   * A tsconfig's options after its `extends` chain; a solution config (no paths, no baseUrl of its
   * own chain) takes them from the configs it `references`, in order.
   */
  private tsConfig(fileName: string, depth: number): TsModules | null {
    const hit = this.tsByConfig.get(fileName);
    if (hit !== undefined) return hit;
    this.tsByConfig.set(fileName, null); // a cycle of extends finds nothing more
    const json = this.json(fileName);
    if (!json || depth > MAX_CHAIN) return null;
    const dir = dirname(fileName);
    let out: TsModules = {};
    const bases = typeof json.extends === 'string' ? [json.extends] : Array.isArray(json.extends) ? json.extends : [];
    for (const base of bases) {
      const baseFile = typeof base === 'string' ? this.extendedConfig(dir, base) : undefined;
      const inherited = baseFile ? this.tsConfig(baseFile, depth + 1) : null;
      if (inherited) out = { ...out, ...definedOnly(inherited) };
    }
    const options = isRecord(json.compilerOptions) ? json.compilerOptions : {};
    if (typeof options.baseUrl === 'string') out.baseUrl = joinPath(dir, options.baseUrl);
    if (isRecord(options.paths)) out.paths = compilePaths(options.paths, dir);
    if (typeof options.outDir === 'string') out.outDir = joinPath(dir, options.outDir);
    if (typeof options.rootDir === 'string') out.rootDir = joinPath(dir, options.rootDir);
    // Paths given without a baseUrl are relative to the config that gives them; with one, to it.
    if (out.paths && out.baseUrl !== undefined) out.paths = { ...out.paths, base: out.baseUrl };
    // A framework that writes the paths into a config its build generates (absent from a checkout):
    // what that config would say, from the framework's own config beside this one.
    if (!out.paths) {
      const generated = this.generatedPaths(dir);
      if (generated) out.paths = compilePaths(generated, dir);
    }
    if (!out.paths && out.baseUrl === undefined && Array.isArray(json.references)) {
      for (const ref of json.references) {
        const path = isRecord(ref) && typeof ref.path === 'string' ? joinPath(dir, ref.path) : undefined;
        if (!path) continue;
        const referenced = path.endsWith('.json') ? this.tsConfig(path, depth + 1) : this.tsConfig(joinPath(path, 'tsconfig.json'), depth + 1);
        if (referenced?.paths || referenced?.baseUrl !== undefined) {
          out = { ...out, paths: referenced.paths, baseUrl: referenced.baseUrl };
          break;
        }
      }
    }
    this.tsByConfig.set(fileName, out);
    return out;
  }

  /** The paths a framework's config beside a tsconfig makes its build generate (GENERATED_PATHS). */
  private generatedPaths(dir: string): Record<string, string[]> | undefined {
    for (const fw of GENERATED_PATHS) {
      for (const name of fw.configs) {
        const text = this.plainText(joinPath(dir, name));
        if (text === undefined) continue;
        const paths: Record<string, string[]> = {};
        const add = (alias: string, target: string): void => {
          paths[alias] = [target];
          paths[`${alias}/*`] = [`${target}/*`];
        };
        for (const [alias, target] of Object.entries(fw.defaults)) add(alias, target);
        for (const [alias, target] of Object.entries(objectAt(name, text, fw.aliases))) add(alias, target);
        return paths;
      }
    }
    return undefined;
  }

  /** The file an `extends` names: a path, or a package's config (a workspace package, or one in node_modules). */
  private extendedConfig(dir: string, spec: string): string | undefined {
    const withJson = (p: string): string[] => (p.endsWith('.json') ? [p] : [p + '.json', joinPath(p, 'tsconfig.json')]);
    let candidates: string[];
    if (isRelativeSpecifier(spec)) candidates = withJson(spec.startsWith('/') || /^[A-Za-z]:[\\/]/.test(spec) ? spec : joinPath(dir, spec));
    else {
      const { name, subpath } = splitPackageName(spec);
      const folder = name ? this.packageFolder(dir, name) : undefined;
      candidates = folder ? (subpath === '.' ? [joinPath(folder, 'tsconfig.json')] : withJson(joinPath(folder, subpath))) : [];
      for (let d = dir; ; d = dirname(d)) {
        candidates.push(...withJson(joinPath(joinPath(d, 'node_modules'), spec)));
        if (dirname(d) === d) break;
      }
    }
    return candidates.find((c) => this.json(c) !== null);
  }

  // ---- packages ------------------------------------------------------------------------------

  private packageJson(dir: string): PackageJson | null {
    const hit = this.packages.get(dir);
    if (hit !== undefined) return hit;
    const json = this.json(joinPath(dir, 'package.json'));
    let pkg: PackageJson | null = null;
    if (json) {
      pkg = { dir };
      if (typeof json.name === 'string') pkg.name = json.name;
      for (const field of ['main', 'module', 'types', 'typings'] as const) if (typeof json[field] === 'string') pkg[field] = json[field] as string;
      if (json.exports !== undefined) pkg.exports = json.exports;
      if (json.imports !== undefined) pkg.imports = json.imports;
      const ws = json.workspaces;
      const patterns = Array.isArray(ws) ? ws : isRecord(ws) && Array.isArray(ws.packages) ? ws.packages : undefined;
      if (patterns) pkg.workspaces = patterns.filter((p): p is string => typeof p === 'string');
    }
    this.packages.set(dir, pkg);
    return pkg;
  }

  /** The package a folder belongs to: the nearest package.json up the chain (Node's package scope). */
  private scopeFor(dir: string): PackageJson | null {
    const hit = this.scopeByDir.get(dir);
    if (hit !== undefined) return hit;
    const own = this.packageJson(dir);
    const parent = dirname(dir);
    const found = own ?? (parent === dir ? null : this.scopeFor(parent));
    this.scopeByDir.set(dir, found);
    return found;
  }

  /** The folder of package `name` as the project has it: the importing package itself, or a workspace package. */
  private packageFolder(dir: string, name: string): string | undefined {
    const scope = this.scopeFor(dir);
    if (scope?.name === name) return scope.dir;
    const ws = this.workspaceFor(dir);
    return ws ? this.workspacePackage(ws, name) : undefined;
  }

  /** The workspace a folder is in: the nearest folder up the chain that declares workspace packages. */
  private workspaceFor(dir: string): Workspace | null {
    const hit = this.workspaceByDir.get(dir);
    if (hit !== undefined) return hit;
    let found: Workspace | null = null;
    const patterns = this.packageJson(dir)?.workspaces ?? this.pnpmPatterns(dir) ?? this.lernaPatterns(dir);
    if (patterns) found = { root: dir, patterns: patterns.filter((p) => !p.startsWith('!')).map((p) => p.replace(/^\.\//, '').replace(/\/+$/, '').split('/')) };
    else {
      const parent = dirname(dir);
      found = parent === dir ? null : this.workspaceFor(parent);
    }
    this.workspaceByDir.set(dir, found);
    return found;
  }

  private pnpmPatterns(dir: string): string[] | undefined {
    const text = this.plainText(joinPath(dir, 'pnpm-workspace.yaml'));
    if (text === undefined) return undefined;
    // The `packages:` list of the YAML file: `  - "packages/*"` lines up to the next top-level key.
    const out: string[] = [];
    let inPackages = false;
    for (const line of text.split(/\r?\n/)) {
      if (/^\S/.test(line)) inPackages = /^packages\s*:/.test(line);
      else if (inPackages) {
        const m = /^\s+-\s*(['"]?)([^'"#]+?)\1\s*(#.*)?$/.exec(line);
        if (m) out.push(m[2]!);
      }
    }
    return out;
  }

  private lernaPatterns(dir: string): string[] | undefined {
    const json = this.json(joinPath(dir, 'lerna.json'));
    return json && Array.isArray(json.packages) ? json.packages.filter((p): p is string => typeof p === 'string') : undefined;
  }

  /**
   * A workspace package's folder by name: among the listed files' folders that match a workspace
   * pattern, else the folder a pattern names with the package's own name (`packages/*` and
   * `@scope/server` -> packages/server), which needs no listing.
   */
  private workspacePackage(ws: Workspace, name: string): string | undefined {
    const listing = this.listing();
    if (listing && ws.listing !== listing) {
      ws.listing = listing;
      ws.byName = new Map();
      for (const folder of workspaceFolders(ws, listing)) {
        const pkg = this.packageJson(folder);
        if (pkg?.name && !ws.byName.has(pkg.name)) ws.byName.set(pkg.name, folder);
      }
    }
    const listed = ws.byName?.get(name);
    if (listed) return listed;
    const last = name.slice(name.lastIndexOf('/') + 1);
    for (const pattern of ws.patterns) {
      const wild = pattern.filter((seg) => seg.includes('*'));
      if (wild.length > 1 || (wild.length === 1 && (wild[0] === '**' || !globMatch(wild[0]!, last)))) continue;
      const folder = joinPath(ws.root, pattern.map((seg) => (seg.includes('*') ? last : seg)).join('/'));
      if (this.packageJson(folder)?.name === name) return folder;
    }
    return undefined;
  }

  /** The stems of a package's entry (`.`) or of a subpath of it (`./lib/x`). */
  private packageStems(folder: string, subpath: string): string[] {
    const key = `${folder}\u0000${subpath}`;
    let stems = this.packageStemsMemo.get(key);
    if (!stems) this.packageStemsMemo.set(key, (stems = this.computePackageStems(folder, subpath)));
    return stems;
  }

  private computePackageStems(folder: string, subpath: string): string[] {
    const pkg = this.packageJson(folder);
    let targets: string[];
    if (pkg?.exports !== undefined && pkg.exports !== null) targets = exportTargets(pkg.exports, subpath);
    else if (subpath === '.') targets = [pkg?.main, pkg?.module, pkg?.types, pkg?.typings, './index'].filter((t): t is string => typeof t === 'string');
    else targets = [subpath];
    const stems: string[] = [];
    for (const t of targets) {
      const path = joinPath(folder, t);
      stems.push(path, ...this.sourcesOf(folder, path));
    }
    return stems;
  }

  /**
   * Where the sources of a build output are (`dist/index.js` -> `src/index.ts`), for a package whose
   * output is not built: the package's tsconfig `outDir` -> `rootDir` (else `src`), else the first
   * folder of the path replaced by `src`, or left out.
   */
  private sourcesOf(folder: string, target: string): string[] {
    const rel = relativeTo(folder, target);
    if (rel === undefined) return [];
    const stem = rel.replace(/\.d\.[cm]?ts$/, '').replace(/\.[cm]?[jt]sx?$/, '');
    const out: string[] = [];
    const ts = this.tsConfigIn(folder);
    if (ts?.outDir) {
      const inOut = relativeTo(ts.outDir, joinPath(folder, stem));
      if (inOut !== undefined) out.push(joinPath(ts.rootDir ?? joinPath(folder, 'src'), inOut));
    }
    const segs = stem.split('/');
    if (segs.length > 1 && segs[0] !== 'src') out.push(joinPath(folder, ['src', ...segs.slice(1)].join('/')), joinPath(folder, segs.slice(1).join('/')));
    if (stem !== rel) out.push(joinPath(folder, stem));
    return out;
  }

  private tsConfigIn(folder: string): TsModules | null {
    for (const name of TS_CONFIG_NAMES) {
      const fileName = joinPath(folder, name);
      if (this.json(fileName)) return this.tsConfig(fileName, 0);
    }
    return null;
  }

  /** `#name` through the `imports` of the importing file's package.json. */
  private importsStems(dir: string, spec: string, depth: number): string[] {
    const scope = this.scopeFor(dir);
    if (!scope || !isRecord(scope.imports)) return [];
    const stems: string[] = [];
    for (const t of subpathTargets(scope.imports, spec)) {
      if (t.startsWith('./') || t.startsWith('../')) {
        const path = joinPath(scope.dir, t);
        stems.push(path, ...this.sourcesOf(scope.dir, path));
      } else stems.push(...this.stemsFor(joinPath(scope.dir, 'package.json'), t, depth + 1));
    }
    return unique(stems);
  }
}

// ---- pure helpers --------------------------------------------------------------------------

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function definedOnly(t: TsModules): TsModules {
  const out: TsModules = {};
  for (const [k, v] of Object.entries(t)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

export function isRelativeSpecifier(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..' || spec.startsWith('/');
}

/** `@scope/name/sub/path` -> `@scope/name` and `./sub/path`; `name` -> `name` and `.`. */
function splitPackageName(spec: string): { name?: string; subpath: string } {
  const segs = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  if (segs.length < n || segs.slice(0, n).some((s) => s === '' || s === '.' || s === '..')) return { subpath: '.' };
  const rest = segs.slice(n).join('/');
  return { name: segs.slice(0, n).join('/'), subpath: rest ? `./${rest}` : '.' };
}

/**
 * Frameworks whose build writes the module aliases into a generated tsconfig that the project's
 * tsconfig extends (`.svelte-kit/tsconfig.json`): absent until the build runs, so the aliases are
 * taken from the framework's config, as data — the config files, the aliases every project has, and
 * where in the config's exported object the project's own aliases are.
 */
const GENERATED_PATHS: ReadonlyArray<{ configs: readonly string[]; defaults: Readonly<Record<string, string>>; aliases: readonly string[] }> = [
  // SvelteKit: `$lib` is `src/lib` (kit.files.lib), plus `kit.alias`.
  { configs: ['svelte.config.js', 'svelte.config.mjs', 'svelte.config.ts'], defaults: { $lib: 'src/lib' }, aliases: ['kit', 'alias'] },
];

/**
 * The string properties of the object literal at a property path (`kit.alias`) anywhere in a
 * config module's text: `{ $src: './src' }` -> `{ $src: './src' }`. Values that are not literals are left out.
 */
function objectAt(fileName: string, text: string, path: readonly string[]): Record<string, string> {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: Record<string, string> = {};
  const propName = (p: ts.ObjectLiteralElementLike): string | undefined =>
    p.name && (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) ? p.name.text : undefined;
  const objectOf = (e: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined => {
    while (e && (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e))) e = e.expression;
    return e && ts.isObjectLiteralExpression(e) ? e : undefined;
  };
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAssignment(n) && propName(n) === path[0]) {
      let obj = objectOf(n.initializer);
      for (const key of path.slice(1)) {
        const p = obj?.properties.find((q) => ts.isPropertyAssignment(q) && propName(q) === key) as ts.PropertyAssignment | undefined;
        obj = objectOf(p?.initializer);
      }
      for (const p of obj?.properties ?? []) {
        const key = propName(p);
        if (key && ts.isPropertyAssignment(p) && ts.isStringLiteralLike(p.initializer)) out[key] = p.initializer.text;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function compilePaths(paths: Record<string, unknown>, base: string): NonNullable<TsModules['paths']> {
  const exact = new Map<string, string[]>();
  const wild: Array<{ prefix: string; suffix: string; targets: string[] }> = [];
  for (const [key, value] of Object.entries(paths)) {
    const targets = Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
    const star = key.indexOf('*');
    if (star === -1) exact.set(key, targets);
    else if (key.indexOf('*', star + 1) === -1) wild.push({ prefix: key.slice(0, star), suffix: key.slice(star + 1), targets });
  }
  // TypeScript picks the pattern with the longest prefix.
  wild.sort((a, b) => b.prefix.length - a.prefix.length);
  return { exact, wild, base };
}

/** TypeScript's `paths` lookup: an exact key, else the matching pattern with the longest prefix. */
function matchPaths(paths: NonNullable<TsModules['paths']>, spec: string): string[] {
  const exact = paths.exact.get(spec);
  if (exact) return exact.map((t) => joinPath(paths.base, t));
  for (const p of paths.wild) {
    if (spec.length < p.prefix.length + p.suffix.length || !spec.startsWith(p.prefix) || !spec.endsWith(p.suffix)) continue;
    const matched = spec.slice(p.prefix.length, spec.length - p.suffix.length);
    return p.targets.map((t) => joinPath(paths.base, t.replace('*', matched)));
  }
  return [];
}

/** The targets of a package's `exports` for a subpath, in the order the object lists them (every condition). */
function exportTargets(exports: unknown, subpath: string): string[] {
  const isSubpathMap = isRecord(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
  return subpathTargets(isSubpathMap ? exports : { '.': exports }, subpath);
}

/** Node's lookup in an `exports` or `imports` map: an exact key, else the `*` pattern with the longest prefix. */
function subpathTargets(map: Record<string, unknown>, key: string): string[] {
  if (Object.prototype.hasOwnProperty.call(map, key)) return conditionTargets(map[key], undefined);
  let best: { key: string; matched: string } | undefined;
  for (const k of Object.keys(map)) {
    const star = k.indexOf('*');
    if (star === -1) {
      // The deprecated folder mapping: `"./lib/": "./src/lib/"`.
      if (k.endsWith('/') && key.startsWith(k) && (!best || k.length > best.key.length)) best = { key: k, matched: key.slice(k.length) };
      continue;
    }
    const prefix = k.slice(0, star);
    const suffix = k.slice(star + 1);
    if (key.length >= prefix.length + suffix.length && key.startsWith(prefix) && key.endsWith(suffix) && (!best || prefix.length > best.key.indexOf('*'))) {
      best = { key: k, matched: key.slice(prefix.length, key.length - suffix.length) };
    }
  }
  if (!best) return [];
  const targets = conditionTargets(map[best.key], best.matched);
  return best.key.includes('*') ? targets : targets.map((t) => t + best!.matched);
}

/** Every target string of a conditions value (nested objects, arrays), in order; `*` replaced. */
function conditionTargets(value: unknown, matched: string | undefined, depth = 0): string[] {
  if (depth > MAX_CHAIN) return [];
  if (typeof value === 'string') return [matched === undefined ? value : value.split('*').join(matched)];
  if (Array.isArray(value)) return value.flatMap((v) => conditionTargets(v, matched, depth + 1));
  if (isRecord(value)) return Object.values(value).flatMap((v) => conditionTargets(v, matched, depth + 1));
  return [];
}

/** The folders under a workspace root that its patterns match, among the listed files' folders. */
function workspaceFolders(ws: Workspace, listing: readonly string[]): string[] {
  const found = new Set<string>();
  for (const fileName of listing) {
    if (found.size >= MAX_WORKSPACE_FOLDERS) break;
    const rel = relativeTo(ws.root, fileName);
    if (rel === undefined) continue;
    const segs = rel.split('/');
    segs.pop(); // the file's own name
    for (const pattern of ws.patterns) {
      const deep = pattern.includes('**');
      for (let n = deep ? 1 : pattern.length; n <= (deep ? segs.length : pattern.length) && n <= segs.length; n++) {
        const folder = segs.slice(0, n);
        if (matchSegments(pattern, folder)) found.add(joinPath(ws.root, folder.join('/')));
      }
    }
  }
  return [...found];
}

function matchSegments(pattern: string[], segs: string[]): boolean {
  if (pattern.length === 0) return segs.length === 0;
  const [head, ...rest] = pattern;
  if (head === '**') return matchSegments(rest, segs) || (segs.length > 0 && matchSegments(pattern, segs.slice(1)));
  return segs.length > 0 && globMatch(head!, segs[0]!) && matchSegments(rest, segs.slice(1));
}

/** One path segment against a glob segment with `*` wildcards. */
function globMatch(glob: string, seg: string): boolean {
  if (!glob.includes('*')) return glob === seg;
  const re = new RegExp('^' + glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '$');
  return re.test(seg);
}

// ---- path arithmetic on file names as given (POSIX or Windows separators; no I/O) ------------

export function dirname(fileName: string): string {
  const i = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
  return i <= 0 ? fileName.slice(0, i + 1) || '.' : fileName.slice(0, i);
}

export function joinPath(dir: string, spec: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  const parts = dir.replace(/[\\/]+$/, '').split(/[\\/]/);
  for (const seg of spec.split(/[\\/]/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 1) parts.pop();
    } else parts.push(seg);
  }
  return parts.join(sep) || sep;
}

/** `file` relative to folder `dir` with `/` separators, or undefined when it is not inside it. */
export function relativeTo(dir: string, file: string): string | undefined {
  const d = dir.replace(/\\/g, '/').replace(/\/+$/, '');
  const f = file.replace(/\\/g, '/');
  if (!f.startsWith(d + '/')) return undefined;
  return f.slice(d.length + 1);
}

/**
 * Every module specifier a file imports, requires or re-exports (a text scan, before any parse):
 * `import … from`, `export … from`, `import '…'`, `require(…)`, `import(…)`. Type-only imports and
 * re-exports (`import type { T } from …`) are left out: they bring no value at run time.
 */
const IMPORT_SPECIFIER = /(?:(\b(?:require|import)\s*\(\s*)|(\bfrom\s*)|\bimport\s*)(['"`])([^'"`\n]+)\3/g;
const TYPE_ONLY = /^(?:import|export)\s+type\b(?!\s*[,=]|\s+from\b)/;
export function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT_SPECIFIER)) if (!m[2] || !typeOnly(text, m.index!)) out.push(m[4]!);
  return out;
}

/** Whether the `import`/`export` statement a `from` at `at` ends is type-only (`import type { T } from …`). */
function typeOnly(text: string, at: number): boolean {
  const start = Math.max(text.lastIndexOf('import', at), text.lastIndexOf('export', at));
  return start !== -1 && TYPE_ONLY.test(text.slice(start, start + 20));
}
