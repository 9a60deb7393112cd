/**
 * Runs a fix fixture against the real engine and the real fix engine: one `describe` per rewrite
 * kind, one `it` per case. For each case the engine analyses the file (with the case's other
 * files as its project), exactly one finding must have the case's rule and recommendation, and the
 * kind's rewrite must give the expected output (or no fix, with the expected reason). Every output
 * must parse; after the preferred fix the finding must be gone. TypeScript outputs are
 * type-checked together by tsc.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { posix } from 'node:path';
import { analyzeFile, Project, type Finding } from '../../server/src/engine/index';
import { applyEdits, rewritesFor, type Fix, type RewriteOutcome } from '../../server/src/fixes/index';
import { PREFERRED } from '../../server/src/fixes/registry';
import { syntaxErrors } from '../engine/syntax';
import type { FixCase, FixFixture } from './fix-format';

export * from './fix-format';

export const PROJECT_ROOT = '/project';
export const ZEROCOPY_VERSION = '0.1.0';

export interface LaidOut {
  fileName: string;
  texts: Map<string, string>;
  packageJson?: { fileName: string; text: string };
  resolve(relative: string): string;
}

export function layOut(c: FixCase): LaidOut {
  const fileName = posix.resolve(PROJECT_ROOT, c.fileName ?? 'server.js');
  const dir = posix.dirname(fileName);
  const resolve = (relative: string) => posix.resolve(dir, relative);
  const texts = new Map<string, string>([[fileName, c.code]]);
  for (const [rel, text] of Object.entries(c.files ?? {})) texts.set(resolve(rel), text);
  const packageJson = c.packageJson === undefined ? undefined : { fileName: posix.join(PROJECT_ROOT, 'package.json'), text: c.packageJson };
  return { fileName, texts, packageJson, resolve };
}

/**
 * The findings of the case file, with `text` as its text: every file of the case is analysed (a
 * finding is reported at its source, which may be the case file when the sink is in another).
 */
function analyse(project: LaidOut, text: string): Finding[] {
  const texts = new Map(project.texts);
  texts.set(project.fileName, text);
  const listing = [...texts.keys()];
  const engine = new Project({ getText: (f) => texts.get(f), list: () => listing });
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const [fileName, t] of texts) {
    const result = analyzeFile(fileName, t, { project: engine });
    assert.equal(result.skipped, undefined, `the engine skipped ${fileName}: ${result.skipped?.reason}`);
    for (const f of result.findings) {
      const key = JSON.stringify([f.fileName, f.range, f.rule, f.recommendation]);
      if (f.fileName !== project.fileName || seen.has(key)) continue;
      seen.add(key);
      findings.push(f);
    }
  }
  return findings;
}

const describeFinding = (f: Finding) => `${f.rule}/${f.recommendation} at ${f.range.start.line + 1}:${f.range.start.character + 1}`;

/** The case's finding and the outcome of every kind offered for it. */
export function runCase(c: FixCase): { project: LaidOut; finding: Finding; outcomes: RewriteOutcome[] } {
  const project = layOut(c);
  const findings = analyse(project, c.code).filter((f) => f.fileName === project.fileName);
  const matching = findings.filter((f) => f.rule === c.rule && f.recommendation === c.recommendation);
  assert.equal(matching.length, 1, `expected exactly one ${c.rule}/${c.recommendation} finding in the case file, the engine gave: ${findings.map(describeFinding).join(', ') || 'none'}`);
  const finding = matching[0]!;
  const outcomes = rewritesFor({
    fileName: project.fileName,
    text: c.code,
    finding,
    getText: (f) => project.texts.get(f),
    ...(project.packageJson ? { packageJson: project.packageJson } : {}),
    zerocopyVersion: ZEROCOPY_VERSION,
  });
  return { project, finding, outcomes };
}

/** The case file's text after a fix, and package.json's (when it edits it). */
export function applied(project: LaidOut, fix: Fix): { output: string; packageJson?: string } {
  const files = new Set(fix.edits.map((e) => e.fileName));
  for (const f of files) {
    assert.ok(f === project.fileName || f === project.packageJson?.fileName, `the fix edits ${f}, which is neither the case file nor its package.json`);
  }
  const output = applyEdits(project.texts.get(project.fileName)!, fix.edits.filter((e) => e.fileName === project.fileName));
  const pkgEdits = fix.edits.filter((e) => e.fileName === project.packageJson?.fileName);
  return { output, ...(pkgEdits.length ? { packageJson: applyEdits(project.packageJson!.text, pkgEdits) } : {}) };
}

function fail(message: string): never {
  const error = new assert.AssertionError({ message });
  error.stack = message;
  throw error;
}

export function checkCase(kind: FixFixture['kind'], c: FixCase): { output?: string; fileName: string } {
  const { project, finding, outcomes } = runCase(c);
  const outcome = outcomes.find((o) => o.kind === kind);
  if (!outcome) fail(`the ${kind} rewrite is not offered for ${describeFinding(finding)} (offered: ${outcomes.map((o) => o.kind).join(', ')})`);
  assert.equal(outcome.preferred, PREFERRED[c.recommendation] === kind, 'preferred flag');
  if (c.noFix !== undefined) {
    if (outcome.fix) fail(`expected no ${kind} fix ("${c.noFix}"), got:\n${applied(project, outcome.fix).output}`);
    if (!outcome.reason!.includes(c.noFix)) fail(`the reason differs.\n  expected to contain: ${c.noFix}\n  actual: ${outcome.reason}`);
    return { fileName: project.fileName };
  }
  if (!outcome.fix) fail(`expected a ${kind} fix, got none: ${outcome.reason}`);
  const { output, packageJson } = applied(project, outcome.fix);
  if (output !== c.output) fail(`the fixed file differs.\n--- expected\n${c.output}\n--- actual\n${output}`);
  if (packageJson !== c.packageJsonOutput) fail(`package.json after the fix differs.\n--- expected\n${c.packageJsonOutput ?? '(unchanged)'}\n--- actual\n${packageJson ?? '(unchanged)'}`);
  const errors = syntaxErrors(project.fileName, output);
  if (errors.length) fail(`the fixed file does not parse:\n${errors.join('\n')}`);
  if (packageJson !== undefined) JSON.parse(packageJson);
  if (outcome.preferred) {
    const before = analyse(project, c.code).filter((f) => f.rule === c.rule).length;
    const after = analyse(project, output).filter((f) => f.rule === c.rule);
    if (after.length >= before) fail(`the ${c.rule} finding is still there after the fix: ${after.map(describeFinding).join(', ')}`);
  }
  return { output, fileName: project.fileName };
}

export function fixtureProblems(fixture: FixFixture): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const c of fixture.cases) {
    if (names.has(c.name)) problems.push(`duplicate case name "${c.name}"`);
    names.add(c.name);
    if ((c.output === undefined) === (c.noFix === undefined)) problems.push(`"${c.name}": give exactly one of output and noFix`);
    if (c.packageJsonOutput !== undefined && c.packageJson === undefined) problems.push(`"${c.name}": packageJsonOutput without packageJson`);
    const errors = syntaxErrors(layOut(c).fileName, c.code);
    if (errors.length) problems.push(`"${c.name}": the input does not parse: ${errors.join('; ')}`);
  }
  return problems;
}

export function runFixFixture(fixture: FixFixture): void {
  describe(`fixes: ${fixture.kind}`, () => {
    it('fixture data is well-formed', () => {
      const problems = fixtureProblems(fixture);
      assert.deepEqual(problems, [], problems.join('\n'));
    });
    for (const c of fixture.cases) it(c.name, () => void checkCase(fixture.kind, c));
  });
}
