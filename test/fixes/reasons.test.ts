/**
 * Every "no fix, because …" the fix engine can give has a no-fix fixture case that gives it.
 *
 * The reasons are read from the fix engine's source with the compiler API: each `refuse(…)`
 * call's argument is a string, a template (its static parts, in order, with anything between), a
 * choice between such (`c ? a : b`), a call of a function of the fix engine that returns such (its
 * `return`s, followed), or one of those with `.replace('a', 'b')` applied. Each no-fix case of every
 * fixture is run (as fixes.test.ts runs it) and the reason its kind gives is matched against them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { FIX_KINDS, type FixKind } from '../../server/src/fixes/index';
import { REPO_ROOT } from '../engine/repo';
import { runCase, type FixFixture } from './fix-tester';
import { NOT_YET_COVERED } from './reasons-not-yet-covered';

const FIXES_DIR = join(REPO_ROOT, 'server', 'src', 'fixes');

/**
 * Refusals whose reason has no static text to match (`file:line` of the `refuse` call -> why it
 * is exempt). None today: keep it that way, or say why here.
 */
const DYNAMIC: Record<string, string> = {};

/**
 * Reasons no finding of the engine reaches today (the reason's text -> why). A reason listed here
 * that a case does give fails the test: the list only ever says what is true.
 */
const UNREACHABLE: Record<string, string> = {};

/** A reason: its static parts in order, anything between them. */
interface Reason {
  parts: string[];
  /** Where it is refused (`file:line`), for the failure message. */
  at: string[];
}

const text = (r: Reason) => r.parts.join('…');
const pattern = (r: Reason) => new RegExp(`^${r.parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')}$`);

function sourceFiles(dir: string): ts.SourceFile[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') ? [ts.createSourceFile(p, readFileSync(p, 'utf8'), ts.ScriptTarget.Latest, true)] : [];
  });
}

/** The functions of the fix engine by name (declarations, and consts bound to a function). */
function functionsByName(files: ts.SourceFile[]): Map<string, ts.FunctionLikeDeclaration[]> {
  const byName = new Map<string, ts.FunctionLikeDeclaration[]>();
  const add = (name: string, fn: ts.FunctionLikeDeclaration) => byName.set(name, [...(byName.get(name) ?? []), fn]);
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && node.name) add(node.name.text, node);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) {
      add(node.name.text, node.initializer);
    }
    ts.forEachChild(node, visit);
  };
  files.forEach(visit);
  return byName;
}

/** The expressions a function returns (not those of functions nested in it). */
function returned(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  if (fn.body && !ts.isBlock(fn.body)) return [fn.body];
  const out: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node) && node.expression) out.push(node.expression);
    if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return out;
}

/** The static parts of every string an expression can be, or undefined when it has none to read. */
function partsOf(e: ts.Expression, functions: Map<string, ts.FunctionLikeDeclaration[]>): string[][] | undefined {
  if (ts.isParenthesizedExpression(e)) return partsOf(e.expression, functions);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [[e.text]];
  if (ts.isTemplateExpression(e)) return [[e.head.text, ...e.templateSpans.map((s) => s.literal.text)]];
  if (ts.isConditionalExpression(e)) {
    const a = partsOf(e.whenTrue, functions);
    const b = partsOf(e.whenFalse, functions);
    return a && b ? [...a, ...b] : undefined;
  }
  if (!ts.isCallExpression(e)) return undefined;
  const callee = e.expression;
  // `.trim()` only takes the spaces a missing part leaves at an end.
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'trim' && e.arguments.length === 0) return partsOf(callee.expression, functions);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'replace' && e.arguments.length === 2 && e.arguments.every(ts.isStringLiteral)) {
    const [from, to] = e.arguments.map((a) => (a as ts.StringLiteral).text) as [string, string];
    const before = partsOf(callee.expression, functions);
    return before?.map((parts) => {
      const i = parts.findIndex((p) => p.includes(from));
      return i < 0 ? parts : parts.map((p, j) => (j === i ? p.replace(from, to) : p));
    });
  }
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  const fns = name === undefined ? undefined : functions.get(name);
  if (!fns?.length) return undefined;
  const all: string[][] = [];
  for (const fn of fns) {
    for (const r of returned(fn)) {
      const parts = partsOf(r, functions);
      if (!parts) return undefined;
      all.push(...parts);
    }
  }
  return all.length ? all : undefined;
}

/** Every reason a `refuse(…)` of the fix engine gives, and the refusals it could not read. */
function refusalReasons(): { reasons: Reason[]; unreadable: string[] } {
  const files = sourceFiles(FIXES_DIR);
  const functions = functionsByName(files);
  const byText = new Map<string, Reason>();
  const unreadable: string[] = [];
  for (const sf of files) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'refuse' && node.arguments.length === 1) {
        const at = `${relative(REPO_ROOT, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        const found = partsOf(node.arguments[0]!, functions)?.map((parts) => parts.filter((p, i, all) => p !== '' || i === 0 || i === all.length - 1));
        if (!found || found.some((parts) => parts.join('').trim() === '')) {
          if (!(at in DYNAMIC)) unreadable.push(`${at}: refuse(${node.arguments[0]!.getText()})`);
        } else {
          for (const parts of found) {
            const key = parts.join('\u0000');
            const known = byText.get(key);
            if (known) known.at.push(at);
            else byText.set(key, { parts, at: [at] });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { reasons: [...byText.values()], unreadable };
}

/** The reason each no-fix case of every fixture gives, from the real engine and fix engine. */
function givenReasons(): { kind: FixKind; name: string; reason: string }[] {
  return FIX_KINDS.flatMap((kind) => {
    const fixture = (require(`./fixtures/${kind}`) as { default: FixFixture }).default;
    return fixture.cases.flatMap((c) => {
      if (c.noFix === undefined) return [];
      const outcome = runCase(c).outcomes.find((o) => o.kind === kind);
      return outcome?.reason === undefined ? [] : [{ kind, name: c.name, reason: outcome.reason }];
    });
  });
}

const { reasons, unreadable } = refusalReasons();

test('the reasons are read from the fix engine', () => {
  assert.deepEqual(unreadable, [], `refusals whose reason has no static text (say why in DYNAMIC, or give them some):\n${unreadable.join('\n')}`);
  // The reader finds them: a fix engine refuses for many reasons, each in its own words.
  assert.ok(reasons.length > 100, `only ${reasons.length} reasons found in ${FIXES_DIR}`);
  for (const at of Object.keys(DYNAMIC)) assert.ok(reasons.every((r) => !r.at.includes(at)), `${at} is in DYNAMIC but its reason can be read`);
  for (const t of [...Object.keys(UNREACHABLE), ...NOT_YET_COVERED]) assert.ok(reasons.some((r) => text(r) === t), `a list names a reason the fix engine does not give: ${t}`);
});

test('every reason the fix engine gives has a no-fix fixture case', () => {
  const given = givenReasons();
  const missing: string[] = [];
  const covered = new Set<string>();
  for (const r of reasons) {
    const re = pattern(r);
    const cases = given.filter((g) => re.test(g.reason));
    if (cases.length) covered.add(text(r));
    const listed = text(r) in UNREACHABLE ? 'unreachable' : NOT_YET_COVERED.includes(text(r)) ? 'not yet covered' : undefined;
    if (listed) {
      assert.equal(cases.length, 0, `"${text(r)}" is listed as ${listed}, yet ${cases.map((c) => `${c.kind}: ${c.name}`).join(', ')} gives it: take it off the list`);
    } else if (!cases.length) {
      missing.push(`${r.at.join(', ')}: ${text(r)}`);
    }
  }
  assert.deepEqual(missing, [], `${missing.length} of ${reasons.length} reasons have no no-fix case:\n${missing.join('\n')}`);
  // And no case gives a reason the reader missed.
  const strays = given.filter((g) => !reasons.some((r) => pattern(r).test(g.reason)));
  assert.deepEqual(strays, [], 'cases whose reason is not one read from the fix engine');
});
