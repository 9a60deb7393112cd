/**
 * Where the time of a `node --cpu-prof` run of the CLI goes: samples mapped back through the
 * bundles' source maps (in the bench's copy of dist/) to the original sources, then summed by
 * area (TypeScript's parser, the engine, the CLI or server, Node, GC) and by function, plus the
 * inclusive time inside `createSourceFile`/`updateSourceFile` (parsing) and `analyzeFile`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { relative } from 'node:path';
import { CLI_SNAPSHOT_DIR, REPO_ROOT } from './paths';

const SNAPSHOT_URL = 'file://' + CLI_SNAPSHOT_DIR + '/';
import { fmt } from './stats';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface Frame {
  fn: string;
  source: string;
  area: string;
}

function areaOf(fn: string, url: string, source: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)' || fn === '(idle)' || fn === '(root)') return `V8 ${fn}`;
  if (url.startsWith('node:')) return 'Node.js internals';
  if (url === '') return 'native code (fs calls, RegExp, built-ins)';
  if (source.includes('node_modules/typescript/')) return 'TypeScript (parser/scanner/utilities)';
  const m = /server\/src\/(\w+)\//.exec(source);
  if (m) return `server/src/${m[1]}`;
  if (source.includes('node_modules/')) return 'other packages';
  return source || url || '(unknown)';
}

export interface ProfileSummary {
  lines: string[];
  /** CPU time sampled, idle excluded (ms). */
  busyMs: number;
  /** Inclusive time inside createSourceFile or updateSourceFile / analyzeFile (ms). */
  parseMs: number;
  analyzeMs: number;
}

export function summarizeProfileFile(file: string, what: string): ProfileSummary {
  return summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, file, what);
}

function summarizeProfile(profile: CpuProfile, file: string, what: string): ProfileSummary {
  // Each bundle of the copied dist/ (cli.js the front, core.js the engine and server) has its
  // own source map beside it, unless it is a production build.
  const maps = new Map<string, SourceMap | undefined>();
  const mapOf = (url: string): SourceMap | undefined => {
    if (!maps.has(url)) {
      const file = url.slice('file://'.length) + '.map';
      maps.set(url, existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : undefined);
    }
    return maps.get(url);
  };
  let unmapped = false;

  const frames = new Map<number, Frame>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    for (const c of n.children ?? []) parent.set(c, n.id);
    const { functionName, url, lineNumber, columnNumber } = n.callFrame;
    let source = url;
    const bundleMap = url.startsWith(SNAPSHOT_URL) ? mapOf(url) : undefined;
    if (url.startsWith(SNAPSHOT_URL) && !bundleMap) unmapped = true;
    if (bundleMap && lineNumber >= 0) {
      const e = bundleMap.findEntry(lineNumber, columnNumber) as { originalSource?: string; originalLine?: number };
      if (e.originalSource) source = `${e.originalSource}:${(e.originalLine ?? 0) + 1}`;
    }
    source = source.replace(/^file:\/\//, '');
    if (source.startsWith('/')) source = relative(REPO_ROOT, source);
    source = source.replace(/^(\.\.\/)+/, '');
    frames.set(n.id, { fn: functionName || '(anonymous)', source, area: areaOf(functionName, url, source) });
  }

  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  /** Inclusive time of our own functions (server/src), each counted once per sample. */
  const ownInclusive = new Map<string, number>();
  let parseMs = 0;
  let analyzeMs = 0;
  let busy = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const f = frames.get(id);
    if (!f) continue;
    if (f.fn === '(idle)') {
      idle += dt;
      continue;
    }
    busy += dt;
    byArea.set(f.area, (byArea.get(f.area) ?? 0) + dt);
    const key = `${f.fn} (${f.source.replace(/^.*node_modules\//, '').replace(/:\d+$/, '')})`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + dt);
    let inParse = false;
    let inAnalyze = false;
    const counted = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = frames.get(at);
      if (!frame) continue;
      if (/^(createSourceFile|updateSourceFile)\d*$/.test(frame.fn)) inParse = true;
      if (/^analyzeFile\d*$/.test(frame.fn)) inAnalyze = true;
      if (frame.source.startsWith('server/src/')) {
        const k = `${frame.fn} (${frame.source})`;
        if (!counted.has(k)) {
          counted.add(k);
          ownInclusive.set(k, (ownInclusive.get(k) ?? 0) + dt);
        }
      }
    }
    if (inParse) parseMs += dt;
    if (inAnalyze) analyzeMs += dt;
  }

  const pct = (v: number): string => `${fmt((v / busy) * 100, 1)}%`;
  const top = (m: Map<string, number>, n: number): string[] =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  - ${k}: ${fmt(v)} ms (${pct(v)})`);
  const lines = [
    `CPU profile of ${what}: ${fmt(busy)} ms on CPU (${fmt(idle)} ms idle not counted; ${relative(REPO_ROOT, file)}):`,
    ...(unmapped ? ['- (part of the CLI is a minified production build with no source map: some names below are minified; `npm run build` gives a readable profile)'] : []),
    `- inside createSourceFile / updateSourceFile (parsing, incremental or not; inclusive): ${fmt(parseMs)} ms (${pct(parseMs)})`,
    `- inside analyzeFile (all the engine's per-file work, parsing included): ${fmt(analyzeMs)} ms (${pct(analyzeMs)})`,
    `- self time by area:`,
    ...top(byArea, 8),
    `- inclusive time of our own functions (server/src), top 12:`,
    ...top(ownInclusive, 12),
    `- self time, top functions:`,
    ...top(byFunction, 12),
  ];
  return { lines, busyMs: busy, parseMs, analyzeMs };
}
