/**
 * Runs a rule fixture (tests as data) against the real engine: one `describe` per rule, one `it`
 * per case, plus checks of the fixture data itself (well-formed, every case parses).
 *
 * A case is analysed as `/project/<fileName>` with a `Project` serving the case's other `files`
 * (and listing them all, as the CLI lists the files it walks).
 * An invalid case passes when the findings of ALL rules equal the listed ones exactly (order does
 * not matter); a valid case passes when there is no finding at all. On a mismatch the message
 * prints the actual findings in fixture syntax, ready to compare or paste.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { posix } from 'node:path';
import ts from 'typescript';
import {
  analyzeFile,
  isAnalyzableFile,
  Project,
  RECOMMENDATIONS,
  RULE_IDS,
  type Finding,
  type Range,
  type RuleId,
} from '../../server/src/engine/index';
import type { ExpectedFinding, InvalidCase, RuleFixture, ValidCase } from './fixture-format';
import { syntaxErrors } from './syntax';

export * from './fixture-format';

export const PROJECT_ROOT = '/project';
export const DEFAULT_FILE_NAME = 'server.js';
/** The floor the issue sets for every rule. */
export const MIN_CASES = 25;

/** A case laid out as absolute files, ready to analyse. */
export interface CaseProject {
  /** Absolute POSIX path of the analysed file. */
  fileName: string;
  /** Absolute path -> text, the analysed file included. */
  texts: Map<string, string>;
  /** Resolves a path relative to the case's directory. */
  resolve(relative: string): string;
  /** The inverse of `resolve`, for printing. */
  relative(absolute: string): string;
}

export function layOutCase(c: ValidCase): CaseProject {
  const fileName = posix.resolve(PROJECT_ROOT, c.fileName ?? DEFAULT_FILE_NAME);
  const dir = posix.dirname(fileName);
  const resolve = (relative: string): string => posix.resolve(dir, relative);
  const texts = new Map<string, string>([[fileName, c.code]]);
  for (const [relative, text] of Object.entries(c.files ?? {})) texts.set(resolve(relative), text);
  return { fileName, texts, resolve, relative: (absolute) => posix.relative(dir, absolute) };
}

export function analyseCase(c: ValidCase): { project: CaseProject; findings: Finding[]; skipped?: string } {
  const project = layOutCase(c);
  // What the CLI lists: source files. Configs (tsconfig.json, package.json…) are only read.
  const listing = [...project.texts.keys()].filter((f) => isAnalyzableFile(f, project.texts.get(f)));
  const engineProject = new Project({ getText: (fileName) => project.texts.get(fileName), list: () => listing });
  const result = analyzeFile(project.fileName, c.code, { project: engineProject });
  return { project, findings: result.findings, skipped: result.skipped?.reason };
}

/** A finding reduced to what a fixture states, with an absolute file: the unit of comparison. */
interface Comparable {
  rule: RuleId;
  recommendation: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

function fromExpected(e: ExpectedFinding, rule: RuleId, project: CaseProject): Comparable {
  return {
    rule: e.rule ?? rule,
    recommendation: e.recommendation,
    file: e.file === undefined ? project.fileName : project.resolve(e.file),
    line: e.line,
    column: e.column,
    endLine: e.endLine,
    endColumn: e.endColumn,
  };
}

function fromActual(f: Finding): Comparable {
  return {
    rule: f.rule,
    recommendation: f.recommendation,
    file: f.fileName,
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
  };
}

const keyOf = (c: Comparable): string =>
  [c.file, c.line, c.column, c.endLine, c.endColumn, c.rule, c.recommendation].join('\u0000');

/** The text a 0-based range covers, for the comment next to a printed finding. */
function textAt(text: string | undefined, range: Range): string | undefined {
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  if (range.start.line !== range.end.line) return undefined;
  return lines[range.start.line]?.slice(range.start.character, range.end.character);
}

/** One finding in fixture syntax, so a failure reads like the fixture it is compared with. */
export function formatComparable(c: Comparable, fixtureRule: RuleId, project: CaseProject): string {
  const parts = [`line: ${c.line}`, `column: ${c.column}`, `endLine: ${c.endLine}`, `endColumn: ${c.endColumn}`];
  if (c.rule !== fixtureRule) parts.push(`rule: '${c.rule}'`);
  parts.push(`recommendation: '${c.recommendation}'`);
  if (c.file !== project.fileName) parts.push(`file: '${project.relative(c.file)}'`);
  const covered = textAt(project.texts.get(c.file), {
    start: { line: c.line - 1, character: c.column - 1 },
    end: { line: c.endLine - 1, character: c.endColumn - 1 },
  });
  return `{ ${parts.join(', ')} },${covered === undefined ? '' : ` // ${covered}`}`;
}

function formatList(list: Comparable[], rule: RuleId, project: CaseProject): string {
  if (list.length === 0) return '    (none)';
  return [...list]
    .sort((a, b) => keyOf(a).localeCompare(keyOf(b)))
    .map((c) => '    ' + formatComparable(c, rule, project))
    .join('\n');
}

/** Steps must run from the source call to a sink inside the analysed files. */
function checkSteps(f: Finding, project: CaseProject): string[] {
  const where = `${f.rule} at ${project.relative(f.fileName)}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
  const problems: string[] = [];
  if (!f.message || f.message.trim() === '') problems.push(`${where}: empty message`);
  if (!Array.isArray(f.steps) || f.steps.length === 0) return [...problems, `${where}: no steps`];
  const first = f.steps[0]!.location;
  if (first.fileName !== f.fileName || !contains(first.range, f.range)) {
    problems.push(`${where}: the first step (${describeLocation(first, project)}) is not at the source call`);
  }
  const last = f.steps[f.steps.length - 1]!.location;
  if (!project.texts.has(last.fileName)) {
    problems.push(`${where}: the last step is in ${last.fileName}, outside the analysed files`);
  } else if (!inside(last.range, project.texts.get(last.fileName)!)) {
    problems.push(`${where}: the last step's range is outside ${project.relative(last.fileName)}`);
  }
  if (!project.texts.has(f.sink.location.fileName)) {
    problems.push(`${where}: the sink is in ${f.sink.location.fileName}, outside the analysed files`);
  }
  for (const [i, step] of f.steps.entries()) {
    if (!step.message || step.message.trim() === '') problems.push(`${where}: step ${i} has no message`);
  }
  return problems;
}

function describeLocation(l: { fileName: string; range: Range }, project: CaseProject): string {
  return `${project.relative(l.fileName)}:${l.range.start.line + 1}:${l.range.start.character + 1}`;
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}
function contains(outer: Range, inner: Range): boolean {
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}
function inside(range: Range, text: string): boolean {
  const lines = text.split('\n');
  const ok = (p: Range['start']): boolean =>
    p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line]!.length;
  return ok(range.start) && ok(range.end) && before(range.start, range.end);
}

/** Runs one case and throws an AssertionError that shows expected and actual in fixture syntax. */
export function checkCase(rule: RuleId, c: ValidCase | InvalidCase): void {
  const { project, findings, skipped } = analyseCase(c);
  assert.equal(skipped, undefined, `the engine skipped the file: ${skipped}`);
  const expected = ('findings' in c ? c.findings : []).map((e) => fromExpected(e, rule, project));
  const actual = findings.map(fromActual);
  const want = expected.map(keyOf).sort();
  const got = actual.map(keyOf).sort();
  if (want.join('\n') !== got.join('\n')) {
    fail(
      [
        `findings differ for "${c.name}" (${project.relative(project.fileName)}):`,
        '  expected:',
        formatList(expected, rule, project),
        '  actual:',
        formatList(actual, rule, project),
      ].join('\n'),
    );
  }
  const problems = findings.flatMap((f) => checkSteps(f, project));
  if (problems.length > 0) fail(problems.join('\n'));
}

/** An assertion error whose report is just the message: the stack of the tester says nothing. */
function fail(message: string): never {
  const error = new assert.AssertionError({ message });
  error.stack = message;
  throw error;
}

/**
 * Problems with the fixture data itself. Each expected range must cover a callee: non-empty, on
 * one line, inside its file, followed by the call's `(` — a cheap guard against hand-shifted numbers.
 */
export function fixtureProblems(fixture: RuleFixture): string[] {
  const problems: string[] = [];
  if (!(RULE_IDS as readonly string[]).includes(fixture.rule)) problems.push(`unknown rule ${fixture.rule}`);
  if (fixture.valid.length < MIN_CASES) problems.push(`only ${fixture.valid.length} valid cases (< ${MIN_CASES})`);
  if (fixture.invalid.length < MIN_CASES) problems.push(`only ${fixture.invalid.length} invalid cases (< ${MIN_CASES})`);
  const names = new Set<string>();
  const codes = new Map<string, string>();
  for (const c of [...fixture.valid, ...fixture.invalid]) {
    if (!c.name.trim()) problems.push('a case has no name');
    if (names.has(c.name)) problems.push(`duplicate case name "${c.name}"`);
    names.add(c.name);
    const previous = codes.get(c.code);
    if (previous !== undefined) problems.push(`"${c.name}" has the same code as "${previous}"`);
    codes.set(c.code, c.name);
    if (c.fileName !== undefined && (c.fileName.startsWith('/') || c.fileName.includes('\\'))) {
      problems.push(`"${c.name}": fileName must be relative and POSIX`);
    }
    for (const path of Object.keys(c.files ?? {})) {
      if (path.startsWith('/') || path.includes('\\')) problems.push(`"${c.name}": file ${path} must be relative and POSIX`);
    }
  }
  for (const c of fixture.invalid) {
    if (c.findings.length === 0) problems.push(`invalid case "${c.name}" lists no finding`);
    const project = layOutCase(c);
    for (const e of c.findings) {
      const where = `"${c.name}" finding at ${e.file ?? 'the case file'}:${e.line}:${e.column}`;
      if (e.rule !== undefined && !(RULE_IDS as readonly string[]).includes(e.rule)) problems.push(`${where}: unknown rule ${e.rule}`);
      if (!(RECOMMENDATIONS as readonly string[]).includes(e.recommendation)) {
        problems.push(`${where}: unknown recommendation ${e.recommendation}`);
      }
      const text = project.texts.get(e.file === undefined ? project.fileName : project.resolve(e.file));
      if (text === undefined) {
        problems.push(`${where}: no such file in the case`);
        continue;
      }
      const lineText = text.split('\n')[e.line - 1];
      if (lineText === undefined || e.endLine !== e.line || e.endColumn <= e.column || e.endColumn - 1 > lineText.length) {
        problems.push(`${where}: the range is not a non-empty span of one line`);
        continue;
      }
      const callee = lineText.slice(e.column - 1, e.endColumn - 1);
      const before = lineText.slice(0, e.column - 1);
      const rest = text.split('\n').slice(e.line - 1).join('\n').slice(e.endColumn - 1);
      // Compiled code calls imports as `(0, mod.fn)(…)`: the callee is `mod.fn` there.
      const commaCall = /\(\s*0\s*,\s*$/.test(before) && /^\s*\)\s*\(/.test(rest);
      if (/^\s|\s$/.test(callee) || /[\w$.]$/.test(before) || (!/^\s*(<[^>]*>\s*)?\(/.test(rest) && !commaCall)) {
        problems.push(`${where}: "${callee}" is not a callee followed by its call`);
      }
    }
  }
  return problems;
}

/** Every file of every case that does not parse, with the parser's messages. */
export function fixtureSyntaxErrors(fixture: RuleFixture): string[] {
  return [...fixture.valid, ...fixture.invalid].flatMap((c) => {
    const project = layOutCase(c);
    return [...project.texts].flatMap(([fileName, text]) =>
      configSyntaxErrors(fileName, text).map((m) => `"${c.name}" ${project.relative(fileName)}: ${m}`),
    );
  });
}

/**
 * A case's file checked as what it is: JSON configs (tsconfig.json allows comments and trailing
 * commas, package.json does not), YAML left alone, sources with the engine's parser.
 */
function configSyntaxErrors(fileName: string, text: string): string[] {
  if (fileName.endsWith('.yaml')) return [];
  if (fileName.endsWith('package.json')) {
    try {
      JSON.parse(text);
      return [];
    } catch (error) {
      return [String(error)];
    }
  }
  if (fileName.endsWith('.json')) {
    const { error } = ts.parseConfigFileTextToJson(fileName, text);
    return error ? [ts.flattenDiagnosticMessageText(error.messageText, '\n')] : [];
  }
  return syntaxErrors(fileName, text);
}

/** Registers the tests of one fixture with node:test. */
export function runRuleFixture(fixture: RuleFixture): void {
  describe(fixture.rule, () => {
    it('fixture data is well-formed', () => {
      const problems = fixtureProblems(fixture);
      assert.deepEqual(problems, [], problems.join('\n'));
    });
    it('every case parses without syntax errors', () => {
      const errors = fixtureSyntaxErrors(fixture);
      assert.deepEqual(errors, [], errors.join('\n'));
    });
    describe('valid', () => {
      for (const c of fixture.valid) it(c.name, () => checkCase(fixture.rule, c));
    });
    describe('invalid', () => {
      for (const c of fixture.invalid) it(c.name, () => checkCase(fixture.rule, c));
    });
  });
}
