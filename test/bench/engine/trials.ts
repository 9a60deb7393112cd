/**
 * The three things `bench:engine` times, as data: the subject (the real CLI), the floor (parse
 * only, same TypeScript) and the peer (ESLint + typescript-eslint + one comparable rule). Each
 * says how to start it in a fresh child and how to read what it found.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildResult } from '../children/job';
import { CHILDREN_DIR, CLI_JS, UNBUNDLED_CLI_JS } from '../paths';

export interface TrialContext {
  /** Package folders, as given to `zerocopy check`. */
  roots: string[];
  /** The job file the floor and the peer read (same files as the CLI walks). */
  jobFile: string;
  /** Scratch folder of this trial's run (result, stdout, usage). */
  runDir: string;
}

export interface TrialFindings {
  files?: number;
  findings?: number;
  skipped?: number;
  /** Files whose analysis threw (check exits 2 then, but its report is complete otherwise). */
  errors?: number;
  filesWithSyntaxErrors?: number;
  phases?: Record<string, number>;
  notes?: string[];
}

export interface Trial {
  id: 'check' | 'check-unbundled' | 'parse-floor' | 'eslint';
  title: string;
  /** `variant`: the subject run another way, shown for comparison, never judged against a goal. */
  role: 'subject' | 'variant' | 'floor' | 'peer';
  args(ctx: TrialContext): string[];
  /** Whether the exit code means the run did its work. */
  succeeded(exitCode: number | null): boolean;
  read(ctx: TrialContext): TrialFindings;
}

/**
 * `zerocopy check --format json` output, read without assuming more than it must: an array of
 * findings, or an object with a `findings` array (and maybe file / skipped counts).
 */
export function readCheckJson(text: string): TrialFindings {
  const data = JSON.parse(text) as unknown;
  if (Array.isArray(data)) return { findings: data.length };
  if (data && typeof data === 'object') {
    const o = data as Record<string, unknown>;
    const count = (v: unknown): number | undefined => (Array.isArray(v) ? v.length : typeof v === 'number' ? v : undefined);
    const summary = (o.summary && typeof o.summary === 'object' ? o.summary : {}) as Record<string, unknown>;
    return {
      findings: count(o.findings) ?? count(summary.findings),
      files: count(o.files) ?? count(summary.files) ?? count(o.filesAnalyzed) ?? count(summary.filesAnalyzed),
      skipped: count(o.skipped) ?? count(summary.skipped),
      errors: count(o.errors) ?? count(summary.errors),
    };
  }
  throw new Error('unrecognised `zerocopy check --format json` output');
}

function readChildResult(ctx: TrialContext): TrialFindings {
  const r = JSON.parse(readFileSync(join(ctx.runDir, 'result.json'), 'utf8')) as ChildResult;
  return r;
}

export const TRIALS: Trial[] = [
  {
    id: 'check',
    title: 'zerocopy check (node dist/cli.js check … --format json)',
    role: 'subject',
    args: (ctx) => [CLI_JS, 'check', ...ctx.roots, '--format', 'json'],
    // 1 = findings; 2 = some files' analysis threw, reported in the JSON (a usage or internal
    // error prints no JSON, and reading the output then fails the run).
    succeeded: (code) => code === 0 || code === 1 || code === 2,
    read: (ctx) => readCheckJson(readFileSync(join(ctx.runDir, 'stdout.txt'), 'utf8')),
  },
  {
    // The same CLI code as tsc compiles it (out/), with TypeScript loaded from node_modules
    // instead of bundled: shows what the esbuild bundle itself costs.
    id: 'check-unbundled',
    title: 'zerocopy check, unbundled (node out/server/src/cli/main.js, same options)',
    role: 'variant',
    args: (ctx) => [UNBUNDLED_CLI_JS, 'check', ...ctx.roots, '--format', 'json'],
    succeeded: (code) => code === 0 || code === 1 || code === 2,
    read: (ctx) => readCheckJson(readFileSync(join(ctx.runDir, 'stdout.txt'), 'utf8')),
  },
  {
    id: 'parse-floor',
    title: 'parse floor (read + ts.createSourceFile, same TypeScript)',
    role: 'floor',
    args: (ctx) => [join(CHILDREN_DIR, 'parse-floor.js'), ctx.jobFile, join(ctx.runDir, 'result.json')],
    succeeded: (code) => code === 0,
    read: readChildResult,
  },
  {
    id: 'eslint',
    title: 'ESLint 9 + @typescript-eslint/parser + 1 comparable rule',
    role: 'peer',
    args: (ctx) => [join(CHILDREN_DIR, 'eslint-peer.js'), ctx.jobFile, join(ctx.runDir, 'result.json')],
    succeeded: (code) => code === 0,
    read: readChildResult,
  },
];
