/**
 * sendfile for streams: `createReadStream(…).pipe(target)` and `pipeline(createReadStream(…),
 * target, cb)` become `sendFile(target, path, { start, end })`.
 *
 * What the original did, and what the rewrite keeps:
 * - the stream's 'error' listener (or the pipeline's callback) runs for the file's errors, which
 *   sendFile reports before it touches the target; with no listener, the error escapes (an
 *   uncaught 'error' event) and the rewrite lets it escape too (an unhandled rejection);
 * - `pipeline` destroys the target on error before calling back: so does the rewrite;
 * - `pipe` ends the target when the file is done: sendFile ends a response itself, and the
 *   rewrite ends a socket;
 * - a range starting at or past the end of the file (any range of an empty file) made an empty
 *   stream (the target ended with no body); sendFile rejects it, and the rewrite ends the target.
 */
import ts from 'typescript';
import type { FixContext } from '../context';
import type { Rewrite, OffsetEdit } from '../rewrite';
import { streamSite, type StreamSite } from '../streamSite';
import { analyseHead, isTarget, type Head } from '../responseHead';
import { errorEffects } from '../errorBranch';
import { enclosingTry } from '../errorPath';
import { proveFreshResponse } from '../prestate';
import { checkErrorUse } from '../checks';
import { alwaysExits, callChain, isFunctionNode, methodName, siblingsOf, usesOwnThisOrArguments } from '../ast';
import { skipOuter } from '../../engine/scope';
import { layoutAt, movedBranch } from '../emit';
import { failureHandler, type OnFailure } from '../failure';
import { splitOnError } from '../completion';
import { refuse } from '../refuse';
import { semi } from '../style';
import { deleteStatement } from '../delete';
import { isRequestHandlerFunction } from '../handlers';
import { SENDFILE_TITLE, unsupportedTarget } from './sendfile';

/**
 * A range is given: one that starts at or past the end of the file (any range of an empty file)
 * made an empty stream, where sendFile rejects it (HTTP's byte ranges: 416).
 */
export function hasRange(site: { start?: ts.Expression; end?: ts.Expression }): boolean {
  return site.start !== undefined || site.end !== undefined;
}

/** `{ start, end }` for sendFile, as the stream had them. */
export function rangeText(ctx: FixContext, site: { start?: ts.Expression; end?: ts.Expression }): string {
  const parts: string[] = [];
  const prop = (name: string, e: ts.Expression) => (ts.isIdentifier(e) && e.text === name ? name : `${name}: ${e.getText(ctx.sf)}`);
  if (site.start) parts.push(prop('start', site.start));
  if (site.end) parts.push(prop('end', site.end));
  return parts.length ? `, { ${parts.join(', ')} }` : '';
}

/**
 * Head statements right before the stream's first statement that build the head
 * (`res.writeHead(200, {…})`): the rewrite sets the same head without building it.
 */
function precedingHead(ctx: FixContext, site: StreamSite, first: ts.Statement): { statements: ts.Statement[]; head?: Head } {
  const list = siblingsOf(first);
  if (!list || site.target.kind !== 'http-response') return { statements: [] };
  const group: ts.Statement[] = [];
  for (let i = list.indexOf(first) - 1; i >= 0; i--) {
    const st = list[i]!;
    // `if (req.method === 'HEAD') return res.end();` ends the response itself: it builds the same
    // head from the headers set, whether writeHead built it or not. Stepped over.
    if (group.length === 0 && endsResponseEarly(ctx, site, st)) continue;
    if (!ts.isExpressionStatement(st)) break;
    const e = st.expression;
    const isHeadCall = ts.isCallExpression(e) && isTarget(ctx, site.target, callChain(e).root) && callChain(e).calls.every((c) => ['writeHead', 'setHeader'].includes(methodName(c) ?? ''));
    const isStatus = ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(e.left) && isTarget(ctx, site.target, e.left.expression) && e.left.name.text === 'statusCode';
    if (!isHeadCall && !isStatus) break;
    group.unshift(st);
  }
  const builds = group.findIndex((st) => ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) && callChain(st.expression).calls.some((c) => methodName(c) === 'writeHead'));
  if (builds < 0) return { statements: [] };
  const statements = group.slice(builds);
  // A Content-Length set here is kept: sendFile checks it against the file.
  return { statements, head: analyseHead(ctx, undefined, site.target, statements, [], 'keep') };
}

/** `if (cond) return res.end();` (or `{ res.end(); return; }`), where `cond` does not look at the response. */
function endsResponseEarly(ctx: FixContext, site: StreamSite, st: ts.Statement): boolean {
  if (!ts.isIfStatement(st) || st.elseStatement || !alwaysExits(st.thenStatement)) return false;
  let mentions = false;
  const visit = (n: ts.Node): void => {
    if (ts.isExpression(n) && isTarget(ctx, site.target, n)) mentions = true;
    else ts.forEachChild(n, visit);
  };
  visit(st.expression);
  if (mentions) return false;
  const body = ts.isBlock(st.thenStatement) ? st.thenStatement.statements : [st.thenStatement];
  return body.every((b) => {
    const e = ts.isReturnStatement(b) ? b.expression : ts.isExpressionStatement(b) ? b.expression : undefined;
    if (!e) return ts.isReturnStatement(b);
    const call = skipOuter(e);
    return ts.isCallExpression(call) && methodName(call) === 'end' && call.arguments.length === 0 && ts.isPropertyAccessExpression(call.expression) && isTarget(ctx, site.target, call.expression.expression);
  });
}

export function streamToSendFile(ctx: FixContext): Rewrite {
  const site = streamSite(ctx);
  const { target } = site;
  if (target.kind !== 'http-response' && target.kind !== 'socket') {
    refuse(unsupportedTarget(target));
  }
  if (site.encoding !== undefined && !['utf8', 'utf-8', 'latin1', 'binary'].includes(site.encoding)) refuse(`the stream decodes the file as ${site.encoding}, which does not write back the same bytes`);
  const t = target.expr.getText(ctx.sf);
  const s = semi(ctx.style);
  const all = [...site.deleted, site.sendStatement].sort((a, b) => a.pos - b.pos);
  const first = all[0]!;
  const { statements: headStatements, head } = precedingHead(ctx, site, first);
  const spanFirst = headStatements[0] ?? first;
  const list = siblingsOf(site.sendStatement)!;
  const span = list.slice(list.indexOf(spanFirst), list.indexOf(site.sendStatement) + 1);
  const listener = site.onError;
  const listenerNode = listener && !ts.isIdentifier(listener.fn) ? [listener.fn] : [];
  if (target.kind === 'http-response') proveFreshResponse(ctx, target.expr, span, new Set(), false, listenerNode);
  if (site.form !== 'pipe' && hasRange(site)) refuse('a range that starts at or past the end of the file (any range of an empty file) made an empty stream, and the pipeline went on; sendFile rejects such a range');
  if (site.start && !ts.isNumericLiteral(site.start) && enclosingTry(site.sendStatement)) {
    refuse('createReadStream throws at once for an invalid range, into the `try` around it; sendFile rejects later, where that `try` does not see it');
  }

  const layout = layoutAt(ctx, site.sendStatement);
  // A pipeline calls back (or rejects) for every failure; a stream's listener runs for the file's.
  const touched = site.form !== 'pipe' ? undefined : target.kind === 'http-response' ? `${t}.headersSent` : `${t}.destroyed`;
  let onFailure: OnFailure;
  let onSuccess: string | undefined;
  const destroyFirst = site.form !== 'pipe';
  if (site.form === 'pipeline-await') {
    onFailure = { kind: 'rethrow' };
  } else if (!listener) {
    onFailure = { kind: 'rethrow' };
  } else if (ts.isIdentifier(listener.fn)) {
    const name = listener.fn.text;
    onFailure = { kind: 'branch', param: 'err', lines: [`${layout.inner}${name}(err)${s}`], fnKind: 'arrow' };
    if (site.form === 'pipeline') onSuccess = `() => ${name}()`;
  } else {
    const fn = listener.fn;
    if (ts.isFunctionExpression(fn) && usesOwnThisOrArguments(fn)) refuse("the error handler uses `this` or `arguments`, which would not be the stream's any more");
    if (site.form === 'pipeline') {
      const err = listener.param;
      if (!err) {
        // A callback that ignores the error runs the same code either way.
        onSuccess = `() => {${layout.nl}${movedBranch(ctx, listener.statements, layout.inner).join(layout.nl)}${layout.nl}${layout.indent}}`;
        onFailure = { kind: 'branch', param: undefined, lines: movedBranch(ctx, listener.statements, layout.inner), fnKind: 'arrow' };
      } else {
        const split = splitOnError(ctx, fn, err, 'the pipeline callback');
        checkErrorUse(ctx, ctx.ev.scopes.declaredBy(err), split.error);
        onFailure = { kind: 'branch', param: err.text, lines: movedBranch(ctx, split.error, layout.inner), fnKind: ts.isArrowFunction(fn) ? 'arrow' : 'function' };
        if (split.success.length) onSuccess = `() => {${layout.nl}${movedBranch(ctx, split.success, layout.inner).join(layout.nl)}${layout.nl}${layout.indent}}`;
      }
    } else {
      checkErrorUse(ctx, listener.param ? ctx.ev.scopes.declaredBy(listener.param) : undefined, listener.statements);
      if (headStatements.length && errorEffects(ctx, target, listener.statements).answers) {
        refuse('the response head is built before the stream is opened, and the error handler answers on that head; sendFile needs it unbuilt');
      }
      onFailure = { kind: 'branch', param: listener.param?.text, lines: movedBranch(ctx, listener.statements, layout.inner), fnKind: ts.isArrowFunction(fn) ? 'arrow' : 'function' };
    }
  }
  const firstLines = (err: string): string[] => {
    const out: string[] = [];
    if (destroyFirst) out.push(`${t}.destroy()${s}`);
    if (site.form === 'pipe' && hasRange(site)) out.unshift(`if (${err}.code === 'ERR_ZEROCOPY_RANGE_NOT_SATISFIABLE') return ${t}.end()${s}`);
    return out;
  };
  const needsFirst = destroyFirst || (site.form === 'pipe' && hasRange(site));
  const handler = failureHandler(ctx, layout, { touched, undo: [], onFailure, ...(needsFirst ? { first: firstLines } : {}) });

  const imports = ctx.imports();
  const sendFile = imports.named('zerocopy', 'sendFile');
  const call = `${sendFile}(${t}, ${site.path.getText(ctx.sf)}${rangeText(ctx, site)})`;
  const endsSocket = target.kind === 'socket';
  let text: string;
  if (site.form === 'pipeline-await') {
    text = `await ${call}.catch(${handler})${s}`;
    if (endsSocket) text += `${layout.nl}${layout.indent}${t}.end()${s}`;
  } else if (endsSocket || onSuccess) {
    const success = endsSocket ? (onSuccess ? onSuccess.replace(/^\(\) => \{/, `() => {${layout.nl}${layout.inner}${t}.end()${s}`) : `() => ${t}.end()`) : onSuccess!;
    text = `${call}.then(${success}, ${handler})${s}`;
  } else {
    text = `${call}.catch(${handler})${s}`;
  }
  if (site.returned && !returnIgnored(ctx, site.sendStatement)) text += `${layout.nl}${layout.indent}return ${t}${s}`;
  const edits: OffsetEdit[] = [];
  const headLines = head ? head.lines : [];
  const replaceFrom = headStatements[0] ?? site.sendStatement;
  for (const st of site.deleted) if (!headStatements.includes(st)) edits.push(deleteStatement(ctx, st));
  for (const st of headStatements.slice(1)) edits.push(deleteStatement(ctx, st));
  if (headStatements.length) {
    edits.push({ start: replaceFrom.getStart(ctx.sf), end: headStatements[0]!.getEnd(), newText: headLines.join(layout.nl + layout.indent) });
  }
  edits.push({ start: site.sendStatement.getStart(ctx.sf), end: site.sendStatement.getEnd(), newText: text });
  return { kind: 'sendfile', title: SENDFILE_TITLE, edits: edits.sort((a, b) => a.start - b.start), imports };
}

function returnIgnored(ctx: FixContext, st: ts.Statement): boolean {
  for (let n = st.parent; n; n = n.parent) if (isFunctionNode(n)) return isRequestHandlerFunction(ctx, n);
  return false;
}
