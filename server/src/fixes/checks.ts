/** Checks shared by the rewrites: code moved earlier must mean the same there; the error object differs in its message. */
import ts from 'typescript';
import type { Binding } from '../engine/scope';
import type { FixContext } from './context';
import { inside, lineOf, quote } from './ast';
import { refuse } from './refuse';

/**
 * Code moved to run at `to` (earlier than where it was) must see the same names: none declared
 * between (`let`/`const`/`class` would be in their dead zone, `var` still undefined) and none of
 * the moved-from callback's own parameters.
 */
export function checkMovable(ctx: FixContext, nodes: readonly ts.Node[], to: number, leaving: ts.Node | undefined, dropped: readonly ts.Node[] = []): void {
  for (const node of nodes) {
    const visit = (n: ts.Node): void => {
      if (dropped.includes(n)) return;
      if (ts.isIdentifier(n)) {
        const b = ctx.ev.scopes.resolve(n);
        if (!b || b.kind === 'function' || b.kind === 'import') return;
        const declaredAt = b.id.getStart(ctx.sf);
        if (leaving && inside(b.decl, leaving)) refuse(`${quote(ctx.sf, n)} (line ${lineOf(ctx.sf, n)}) is only defined once the read has succeeded`);
        if (declaredAt > to && b.kind !== 'param') refuse(`${quote(ctx.sf, n)} is declared after the read (line ${lineOf(ctx.sf, b.id)}), so the code that uses it cannot move before it`);
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(node);
  }
}

/** Properties of an fs error that are the same for the same failure whoever reports it. */
const STABLE_ERROR_PROPERTIES = new Set(['code', 'errno']);

/**
 * The error the rewrite's API reports has the same `code` as the read's (ENOENT, EISDIR, EACCES)
 * but its own message and stack. No fix when the error branch puts those into what it sends or
 * builds a string from the error. (A use of the bytes there is refused before, by checkOtherUses.)
 */
export function checkErrorUse(ctx: FixContext, err: Binding | undefined, within: readonly ts.Node[]): void {
  for (const node of within) {
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) {
        const b = ctx.ev.scopes.resolve(n);
        if (!err || b !== err) return;
        // Only logged: what a log line says is not the response.
        if (insideConsoleCall(n)) return;
        const p = n.parent;
        if (p && ts.isPropertyAccessExpression(p) && p.expression === n) {
          if (STABLE_ERROR_PROPERTIES.has(p.name.text)) return;
          refuse(`the error branch reads \`${n.text}.${p.name.text}\` (line ${lineOf(ctx.sf, n)}), which differs between the read's error and sendFile's`);
        }
        if (p && (ts.isTemplateSpan(p) || (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.PlusToken))) {
          refuse(`the error branch makes text of \`${n.text}\` (line ${lineOf(ctx.sf, n)}), whose message differs between the read's error and sendFile's`);
        }
        if (p && ts.isCallExpression(p) && ts.isIdentifier(p.expression) && p.expression.text === 'String') {
          refuse(`the error branch makes text of \`${n.text}\` (line ${lineOf(ctx.sf, n)}), whose message differs between the read's error and sendFile's`);
        }
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(node);
  }
}

function insideConsoleCall(n: ts.Node): boolean {
  for (let p = n.parent; p && !ts.isStatement(p); p = p.parent) {
    if (ts.isCallExpression(p)) {
      const callee = p.expression;
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'console') return true;
    }
  }
  return false;
}
