/**
 * A server program copied into a folder of its own, and the same copy with every preferred fix
 * applied through the fix engine (`fixesFor` + `applyEdits`), as `zerocopy check --fix` and the
 * editor's fix-all apply them: one fix at a time, each computed on the text the previous one left,
 * until no finding has a preferred fix left. Each copy gets a package.json (which the fixes edit)
 * and a node_modules link to this repository's, where `zerocopy`, express, koa and fastify live.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { analyzeFile, Project, type Finding } from '../../../../server/src/engine';
import { applyEdits, fixesFor, type Fix, type FixResult } from '../../../../server/src/fixes';
import { bundledRuntimeVersion } from '../../../../server/src/report/runtimeVersion';

export const REPO_ROOT = join(__dirname, '../../../../..');
export const SERVERS = join(REPO_ROOT, 'test/fixes/behaviour/servers');

export interface Copy {
  dir: string;
  /** The program to run, in `dir`. */
  entry: string;
}

/** Copies `server` (a file of servers/, or a file in a folder of its own there, with that folder) into `into/<name>/`. */
export function copyServer(server: string, into: string): Copy {
  const inFolder = server.includes('/');
  const name = inFolder ? dirname(server) : basename(server).replace(/\.[cm]?js$/, '');
  const dir = join(into, name);
  mkdirSync(dir, { recursive: true });
  if (inFolder) cpSync(join(SERVERS, dirname(server)), dir, { recursive: true });
  else cpSync(join(SERVERS, server), join(dir, basename(server)));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `behaviour-${name}`, version: '1.0.0', private: true }, null, 2) + '\n');
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, entry: join(dir, basename(server)) };
}

export interface FixOutcome {
  /** Each fix applied, in order, with the finding it fixed. */
  applied: Array<{ finding: Finding; fix: Fix }>;
  /** What the fix engine said about the findings it did not fix (at the end). */
  left: Array<{ finding: Finding; result: FixResult }>;
  /** Files the fixes changed, relative to the copy. */
  changed: string[];
}

function readText(fileName: string): string | undefined {
  try {
    return readFileSync(fileName, 'utf8');
  } catch {
    return undefined;
  }
}

/** The entry's findings (located in any file of the copy) and what the fix engine offers for each. */
export function fixesOf(copy: Copy): Array<{ finding: Finding; result: FixResult }> {
  const project = new Project({ getText: readText });
  const findings = analyzeFile(copy.entry, readText(copy.entry)!, { project }).findings;
  const packageJson = { fileName: join(copy.dir, 'package.json'), text: readText(join(copy.dir, 'package.json'))! };
  return findings.map((finding) => ({
    finding,
    result: fixesFor({
      fileName: finding.fileName,
      text: readText(finding.fileName)!,
      finding,
      getText: readText,
      packageJson,
      zerocopyVersion: bundledRuntimeVersion(),
      project,
    }),
  }));
}

/** Applies the preferred fixes (or, given `kind`, that kind's fixes) to the copy's files, one at a time. */
export function applyPreferredFixes(copy: Copy, kind?: Fix['kind']): FixOutcome {
  const chosen = (f: Fix) => (kind === undefined ? f.preferred : f.kind === kind);
  const applied: FixOutcome['applied'] = [];
  const changed = new Set<string>();
  for (;;) {
    const offers = fixesOf(copy);
    const next = offers.find((o) => o.result.fixes.some(chosen));
    if (!next) return { applied, left: offers, changed: [...changed] };
    if (applied.length > 20) throw new Error(`fixes keep coming for ${copy.entry}: ${applied.map((a) => a.fix.title).join('; ')}`);
    const fix = next.result.fixes.find(chosen)!;
    const byFile = new Map<string, typeof fix.edits>();
    for (const edit of fix.edits) byFile.set(edit.fileName, [...(byFile.get(edit.fileName) ?? []), edit]);
    for (const [fileName, edits] of byFile) {
      writeFileSync(fileName, applyEdits(readText(fileName) ?? '', edits));
      changed.add(relative(copy.dir, fileName));
    }
    applied.push({ finding: next.finding, fix });
  }
}
