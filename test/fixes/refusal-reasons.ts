/**
 * The reasons the fix engine refuses for, read from its source with the compiler API: each
 * `refuse(…)` call's argument is a string, a template (its static parts in order, anything between;
 * a part chosen between literals gives a reason per choice),
 * a choice between such (`c ? a : b`), a call of a function of the fix engine that returns such (its
 * `return`s, followed), or one of those with `.replace('a', 'b')` or `.trim()` applied.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../engine/repo';

export const FIXES_DIR = join(REPO_ROOT, 'server', 'src', 'fixes');

/** A reason: its static parts in order, anything between them. */
export interface Reason {
  parts: string[];
  /** Where it is refused (`file:line`), for the failure message. */
  at: string[];
}

/** The reason as text, `…` where a part is computed. */
export const text = (r: Reason) => r.parts.join('…');
export const staticLength = (r: Reason) => r.parts.join('').length;
/** What a reason given for a case matches. */
export const pattern = (r: Reason) => new RegExp(`^${r.parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')}$`);

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

/** The strings an expression can be when it is a literal or a choice between literals. */
function literalChoices(e: ts.Expression): string[] | undefined {
  if (ts.isParenthesizedExpression(e)) return literalChoices(e.expression);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
  if (!ts.isConditionalExpression(e)) return undefined;
  const a = literalChoices(e.whenTrue);
  const b = literalChoices(e.whenFalse);
  return a && b ? [...a, ...b] : undefined;
}

/** The static parts of every string an expression can be, or undefined when it has none to read. */
function partsOf(e: ts.Expression, functions: Map<string, ts.FunctionLikeDeclaration[]>): string[][] | undefined {
  if (ts.isParenthesizedExpression(e)) return partsOf(e.expression, functions);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [[e.text]];
  if (ts.isTemplateExpression(e)) {
    // A part chosen between literals (`${m === 'write' ? ', and …' : ''}`) gives one reason each.
    let variants: string[][] = [[e.head.text]];
    for (const span of e.templateSpans) {
      const choices = literalChoices(span.expression);
      variants = choices
        ? variants.flatMap((parts) => choices.map((c) => [...parts.slice(0, -1), parts[parts.length - 1] + c + span.literal.text]))
        : variants.map((parts) => [...parts, span.literal.text]);
    }
    return variants;
  }
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

/**
 * Every reason a `refuse(…)` of the fix engine gives, and the refusals it could not read (as
 * `file:line: refuse(…)`; those at a location in `exempt` are left out).
 */
export function refusalReasons(exempt: ReadonlySet<string> = new Set()): { reasons: Reason[]; unreadable: string[] } {
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
          if (!exempt.has(at)) unreadable.push(`${at}: refuse(${node.arguments[0]!.getText()})`);
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
