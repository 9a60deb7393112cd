/**
 * The development set: which published packages are analysed (packages.json) and the hand-made label of every
 * source call in their analysed files (dataset.json). Both are references into the installed packages, never copies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECOMMENDATIONS, RULE_IDS, type Recommendation, type RuleId } from '../../server/src/engine/index';
import { SHAPES, type Shape } from './projects-set';

export interface EvalPackage {
  name: string;
  /** Exact version; the label lines are only valid for it. */
  version: string;
  /** Folder name under node_modules when the same package is pinned twice (installed as an npm alias). */
  installAs?: string;
  /** What kind of package it is (static-server, copy, negatives (template)…), for the reader. */
  kind: string;
  /** The package's own code that really runs, relative to its folder. A finding in any other file is not scored. */
  files: string[];
}

export interface LabelledSite {
  package: string;
  version: string;
  file: string;
  /** 1-based line of the source call's callee (its first line when it spans several). */
  line: number;
  /** 1-based column of the callee, to tell apart two calls on one line. */
  column?: number;
  /** The callee as written, whitespace removed; checked against the installed file so a wrong pin is noticed. */
  callee: string;
  label: RuleId | 'none';
  recommendation?: Recommendation;
  /** Why, in a sentence; printed next to every false positive and false negative. */
  note: string;
  /** For positives: the miss-prone constructs on the way to the sink (projects-set.ts SHAPES); absent means plain. */
  shapes?: Shape[];
}

export function packageKey(p: { name: string; version: string }): string {
  return `${p.name}@${p.version}`;
}

export function siteKey(s: LabelledSite): string {
  return `${s.package}@${s.version}`;
}

/** Reads and checks the two JSON files; throws with every problem found, since a broken dataset makes the figures meaningless. */
export function loadDataset(dir: string): { packages: EvalPackage[]; sites: LabelledSite[] } {
  const packages = JSON.parse(readFileSync(join(dir, 'packages.json'), 'utf8')) as EvalPackage[];
  const sites = JSON.parse(readFileSync(join(dir, 'dataset.json'), 'utf8')) as LabelledSite[];
  const problems: string[] = [];
  const byKey = new Map(packages.map((p) => [packageKey(p), p]));
  if (byKey.size !== packages.length) problems.push('packages.json lists a package@version twice');
  const seen = new Set<string>();
  for (const s of sites) {
    const where = `${siteKey(s)} ${s.file}:${s.line}`;
    const p = byKey.get(siteKey(s));
    if (!p) problems.push(`${where}: package not in packages.json`);
    else if (!p.files.includes(s.file)) problems.push(`${where}: file not in the package's analysed files`);
    if (s.label !== 'none' && !(RULE_IDS as readonly string[]).includes(s.label)) problems.push(`${where}: unknown rule ${s.label}`);
    if (s.label !== 'none' && !(RECOMMENDATIONS as readonly string[]).includes(s.recommendation ?? '')) problems.push(`${where}: a positive needs a recommendation`);
    if (s.label === 'none' && s.recommendation) problems.push(`${where}: a negative has no recommendation`);
    if (!s.note) problems.push(`${where}: missing note`);
    for (const sh of s.shapes ?? []) if (!(sh in SHAPES)) problems.push(`${where}: unknown shape ${sh}`);
    const k = `${where}:${s.column ?? ''}`;
    if (seen.has(k)) problems.push(`${where}: labelled twice`);
    seen.add(k);
  }
  if (problems.length) throw new Error(`invalid dataset:\n  ${problems.join('\n  ')}`);
  return { packages, sites };
}
