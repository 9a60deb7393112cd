/**
 * The second development set: applications and libraries nobody on the project had read, pinned by reference
 * (projects.json) with the hand-made label of every source call in their scored files (projects-dataset.json).
 * Unlike the first set (packages.json, a list of files per package), each project is analysed the way a user runs
 * the tool: `zerocopy check <project folder>`; the scored files are what that walk finds minus the project's
 * `exclude` globs (tests, fixtures, build scripts), and their count is pinned so a change of walk is noticed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECOMMENDATIONS, RULE_IDS, type Recommendation, type RuleId } from '../../server/src/engine/index';

/**
 * Constructs known to be missed or misread (issue 12), so that misses can be counted by shape. A positive that is
 * none of them is `plain`. The last three are shapes of false positives, put on `none` labels that have them.
 */
export const SHAPES = {
  plain: 'nothing unusual between the source and the sink',
  'compiled-interop': "1. compiled-module interop: esbuild's __toESM(require('fs')), tsc's __importDefault/__importStar",
  'comma-call': '2. a call through (0, mod.fn)(args) whose arguments must be bound into the called function',
  'this-alias': '3. fields stored through an alias of this (self/that/_this)',
  'promisified-param-path': '4. fs-extra / promisified read whose path is a parameter',
  'this-is-response': "5. the response is `this` (methods on an object whose prototype is http.ServerResponse's)",
  'web-stream-framework': '6. web streams and fetch-style frameworks: Response, ReadableStream, Readable.toWeb, Hono c.body/c.html/stream, h3 sendStream, a route handler return value',
  'fs-computed-reexport': '7. fs re-exported under computed keys (Object.keys(fs), Object.assign({}, fs))',
  'dispatch-past-one-hop': '8. dispatch past one hop: overridden methods, wrappers in between, request/response over an EventEmitter',
  'converted-type': '9. the same bytes as another type (ArrayBuffer, Uint8Array, Blob) before the write',
  'babel-es5': '10. Babel ES5 shapes: _createClass, arguments[n], .apply(this, arguments)',
  'extensionless-script': '11. a script without an extension (#! line, package.json bin)',
  'large-project': '12. the flow crosses a large project (many files defining the same method names)',
  'framework-sink': 'a framework body or stream wrapper outside shape 6 and the sinks RULES.md lists (NestJS StreamableFile, a Next.js API response helper)',
  'http-client-upload': 'an upload through an HTTP client library (fetch, undici, axios, got, form-data, node-fetch)',
  'path-alias': 'the flow crosses an import through a path alias (tsconfig `paths`, SvelteKit `$lib`/kit.alias, `~/`, `@/`)',
  'workspace-package': 'the flow crosses into another workspace package of a monorepo, imported by its package name',
  'read-write-same-file': 'FP shape: a file read and written back to itself',
  'read-once-kept': 'FP shape: a file read once and kept (variable, getter, memo) taken for a read per request',
  'name-only-sink': "FP shape: a sink recognised only by a parameter's name (`res`) where the object is not HTTP or net",
} as const;
export type Shape = keyof typeof SHAPES;

export type ProjectSource = { repo: string; commit: string } | { npm: string; version: string };

export interface EvalProject {
  /** Unique, also the folder name under .cache/eval/projects. */
  name: string;
  kind: 'application' | 'library';
  /** The framework(s) and build the project is written with, for the reader and for coverage. */
  framework: string;
  /** Why it is in the set (what it covers). */
  why: string;
  source: ProjectSource;
  /** The folder `zerocopy check` is run on, relative to the materialised source; "." for the whole of it. */
  folder: string;
  /**
   * Globs (relative to `folder`; see workspace/globs.ts) of walked files that are not scored, on top of the set's
   * `defaultExclude`: tests, fixtures, build scripts, tool configs. Findings there are shown, not counted.
   */
  exclude: string[];
  /** How many files are scored (walked minus excluded), pinned: the runner says when the walk finds another number. */
  scoredFiles: number;
  /** When the labels were made (UTC, ISO 8601), before the tool was first run on the project. */
  labelledAt: string;
}

export interface ProjectSite {
  project: string;
  /** Relative to the project folder, `/`-separated. */
  file: string;
  /** 1-based line of the callee (its first line when it spans several). */
  line: number;
  /** 1-based column of the callee. */
  column: number;
  /** The callee as written, whitespace removed. */
  callee: string;
  label: RuleId | 'none';
  recommendation?: Recommendation;
  /** For positives: the constructs between source and sink that make it miss-prone, or ['plain']; for negatives, an FP shape if any. */
  shapes?: Shape[];
  note: string;
  /**
   * Set when a label was changed after the tool was first run on the project (UTC): the change and why are in the
   * note. Labels are otherwise as made before any run (the project's `labelledAt`).
   */
  revisedAt?: string;
}

export interface ProjectSet {
  /** Excluded from scoring in every project (tests, fixtures, build scripts, tool configs). */
  defaultExclude: string[];
  projects: EvalProject[];
}

/** The globs a project's scored files exclude. */
export function excludesOf(set: { defaultExclude: string[] }, p: EvalProject): string[] {
  return [...set.defaultExclude, ...p.exclude];
}

export function loadProjectSet(dir: string): { defaultExclude: string[]; projects: EvalProject[]; sites: ProjectSite[] } {
  const { defaultExclude, projects } = JSON.parse(readFileSync(join(dir, 'projects.json'), 'utf8')) as ProjectSet;
  const sites = JSON.parse(readFileSync(join(dir, 'projects-dataset.json'), 'utf8')) as ProjectSite[];
  const problems: string[] = [];
  const byName = new Map(projects.map((p) => [p.name, p]));
  if (byName.size !== projects.length) problems.push('projects.json lists a name twice');
  for (const p of projects) {
    if (p.kind !== 'application' && p.kind !== 'library') problems.push(`${p.name}: kind must be application or library`);
    if ('repo' in p.source ? !/^[0-9a-f]{40}$/.test(p.source.commit) : !/^\d+\.\d+\.\d+/.test(p.source.version)) problems.push(`${p.name}: pin an exact commit or version`);
    if (Number.isNaN(Date.parse(p.labelledAt))) problems.push(`${p.name}: labelledAt is not a date`);
  }
  const seen = new Set<string>();
  const shapeIds = Object.keys(SHAPES);
  for (const s of sites) {
    const where = `${s.project} ${s.file}:${s.line}:${s.column}`;
    if (!byName.has(s.project)) problems.push(`${where}: project not in projects.json`);
    if (s.label !== 'none' && !(RULE_IDS as readonly string[]).includes(s.label)) problems.push(`${where}: unknown rule ${s.label}`);
    if (s.label !== 'none' && !(RECOMMENDATIONS as readonly string[]).includes(s.recommendation ?? '')) problems.push(`${where}: a positive needs a recommendation`);
    if (s.label === 'none' && s.recommendation) problems.push(`${where}: a negative has no recommendation`);
    if (s.label !== 'none' && !(s.shapes && s.shapes.length)) problems.push(`${where}: a positive needs its shapes (['plain'] when none)`);
    for (const sh of s.shapes ?? []) if (!shapeIds.includes(sh)) problems.push(`${where}: unknown shape ${sh}`);
    if (!s.note) problems.push(`${where}: missing note`);
    if (s.revisedAt !== undefined && Number.isNaN(Date.parse(s.revisedAt))) problems.push(`${where}: revisedAt is not a date`);
    if (seen.has(where)) problems.push(`${where}: labelled twice`);
    seen.add(where);
  }
  if (problems.length) throw new Error(`invalid project set (${dir}):\n  ${problems.join('\n  ')}`);
  return { defaultExclude, projects, sites };
}
