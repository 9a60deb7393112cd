/**
 * express: a whole read sent with `res.send(data)` becomes express's own `res.sendFile`, with the
 * options that make it answer as `res.send(buffer)` did (express 5 / send 1 and express 4 / send
 * 0.19 alike, read in their source and proven by the behaviour test on both):
 * - `res.send(buffer)` sets Content-Type `application/octet-stream` unless one is set, a
 *   Content-Length, an ETag when the app's `etag` setting is on (express passes that setting to
 *   sendFile itself), answers 304 to a matching If-None-Match, and ignores Range, If-Range,
 *   If-Match, If-Unmodified-Since and If-Modified-Since (no Last-Modified);
 * - so sendFile gets `lastModified: false`, `cacheControl: false`, `acceptRanges: false`,
 *   `dotfiles: 'allow'`, `index: false`, and the Content-Type the response has by then (or
 *   `application/octet-stream`) as a header it sets only on success; the request's If-Match and
 *   If-Unmodified-Since are taken off first, since send would answer them with 412;
 * - the file checked readable first (`access`, `R_OK`): send answers HEAD from the file's stat
 *   without opening it, so a file its user may not read (EACCES) would get 200 where the read
 *   failed into the error branch; the check fails there as the read did, for GET and HEAD;
 * - an absolute path (`path.resolve`), and the callback form: send stats the file before it
 *   touches the response, so a missing file or a directory reaches the original error branch with
 *   the response untouched (express reports a directory as EISDIR, as readFile did); a file that
 *   still cannot be opened (changed since the check, EMFILE) fails after send set its headers,
 *   which the callback takes off again; a failure once the head went out cuts the response, as
 *   the original's never did (it had the bytes), and a client gone before the head gets nothing.
 * What remains different (docs/rules/read-then-send.md): the ETag's value (send's weak
 * `W/"size-mtime"` instead of a hash of the bytes; a matching If-None-Match still gets 304), a
 * path with a NUL byte (send's 400 error reaches the error branch where readFile threw), and the
 * error object the branch gets, which is why the branch may only read its `code`.
 */
import ts from 'typescript';
import type { FixContext } from '../context';
import type { OffsetEdit, Rewrite } from '../rewrite';
import type { Send } from './sendfile';
import { undoFor } from './sendfile';
import { checkTail, wholeRead } from '../wholeRead';
import { analyseHead } from '../responseHead';
import { checkOtherUses, checkPayload } from '../payload';
import { errorPathOf } from '../errorPath';
import { checkMovable } from '../checks';
import { lineOf, usesOwnThisOrArguments } from '../ast';
import { layoutAt, movedBranch } from '../emit';
import { refuse } from '../refuse';
import { nodeModule, semi } from '../style';

export const EXPRESS_SEND_FILE_TITLE = "Let express send the file (res.sendFile with the options that answer as res.send did: one chunk in memory at a time)";

/** The error branch may read the error's `code` (the same from sendFile) and log it; nothing else of it. */
function checkCodeOnly(ctx: FixContext, param: ts.Identifier | undefined, within: readonly ts.Node[]): void {
  const err = param ? ctx.ev.scopes.declaredBy(param) : undefined;
  if (!err) return;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && ctx.ev.scopes.resolve(n) === err) {
      const p = n.parent;
      if (p && ts.isPropertyAccessExpression(p) && p.expression === n && p.name.text === 'code') return;
      for (let q: ts.Node | undefined = p; q && !ts.isStatement(q); q = q.parent) {
        if (ts.isCallExpression(q) && ts.isPropertyAccessExpression(q.expression) && ts.isIdentifier(q.expression.expression) && q.expression.expression.text === 'console') return;
      }
      refuse(`the error branch uses \`${n.text}\` (line ${lineOf(ctx.sf, n)}) beyond its \`code\`: res.sendFile's error is another object (a missing file's carries status 404, which express's error handler answers with)`);
    }
    ts.forEachChild(n, visit);
  };
  for (const node of within) visit(node);
}

export function expressSendFile(ctx: FixContext, send: Send): Rewrite {
  const read = wholeRead(ctx);
  const { target } = send;
  const t = target.expr.getText(ctx.sf);
  const path = errorPathOf(ctx, read);
  const form = read.form === 'callback' && path.to === 'branch' ? 'callback' : read.form === 'await' && path.to === 'catch' && !read.assigned ? 'await' : undefined;
  if (!form || read.returned || read.arrowBody) refuse("express's `res.sendFile` is offered for a callback read, or an awaited read in a `try`, whose error branch answers itself");
  checkTail(ctx, read.tail);
  const head = analyseHead(ctx, read, target, read.region.slice(0, -1), send.chain);
  const payload = send.call.arguments[0];
  checkPayload(ctx, read, payload, send.call.arguments[1]);
  checkOtherUses(ctx, read, payload!, head.dropped);
  checkMovable(ctx, [...read.region.slice(0, -1), ...send.chain], read.statement.getStart(ctx.sf), read.callback, head.dropped);
  const param = path.to === 'branch' ? read.errParam : path.to === 'catch' ? path.param : undefined;
  checkCodeOnly(ctx, param, path.to === 'branch' || path.to === 'catch' ? path.statements : []);
  const replaceTo = form === 'callback' ? read.statement : read.sendStatement;
  const span = (() => {
    const list = read.statement.parent && ts.isBlock(read.statement.parent) ? read.statement.parent.statements : undefined;
    return list ? list.slice(list.indexOf(read.statement), list.indexOf(replaceTo) + 1) : [read.statement];
  })();
  const undo = undoFor(ctx, span, target, head, path);

  const imports = ctx.imports();
  const s = semi(ctx.style);
  const q = ctx.style.quote;
  const ts_ = ctx.style.typescript;
  const resolve = imports.named(nodeModule(ctx.style, 'path'), 'resolve');
  // send answers HEAD from the file's stat alone; the read opened the file, so its error branch
  // answered a file its user may not read. access(R_OK) fails there (EACCES) as the read did.
  const fsModule = nodeModule(ctx.style, form === 'callback' ? 'fs' : 'fs/promises');
  const access = imports.named(fsModule, 'access');
  const readable = `${imports.named(fsModule, 'constants')}.R_OK`;
  const before = imports.freshName('headersBefore');
  const layout = layoutAt(ctx, read.statement);
  const { indent, nl } = layout;
  const step = ctx.style.indent;
  const options = `{ lastModified: false, cacheControl: false, acceptRanges: false, dotfiles: ${q}allow${q}, index: false, headers: { ${q}Content-Type${q}: ${t}.get(${q}Content-Type${q}) ?? ${q}application/octet-stream${q} } }`;
  const out: string[] = [...head.lines];
  // The path is resolved once: it is used twice (checked, then sent).
  const given = read.path.getText(ctx.sf);
  const simple = ts.isIdentifier(read.path) || ts.isStringLiteralLike(read.path);
  const file = simple ? `${resolve}(${given})` : imports.freshName('file');
  if (!simple) out.push(`const ${file} = ${resolve}(${given})${s}`);
  out.push(`delete ${t}.req.headers[${q}if-match${q}]${s}`, `delete ${t}.req.headers[${q}if-unmodified-since${q}]${s}`);
  /** The callback's first lines: a failure once the head went out (or with the client gone) cuts the response; else back to the state before the call. */
  const guard = (err: string, done: string, inner: string) => [
    `${inner}if (${err} && (${t}.headersSent || ${err}.code === ${q}ECONNABORTED${q})) ${t}.destroy()${s}`,
    `${inner}if (!${err} || ${t}.destroyed) return${done ? ' ' + done : ''}${s}`,
    `${inner}for (const name of ${t}.getHeaderNames()) if (!${before}.includes(name)) ${t}.removeHeader(name)${s}`,
    ...undo.map((l) => inner + l),
  ];
  const cbParam = (name: string) => (ts_ ? `${name}?: NodeJS.ErrnoException` : name);
  const call = (callback: string) => `${t}.sendFile(${file}, ${options}, ${callback}`;
  if (form === 'callback') {
    const fnKind = read.callback && ts.isFunctionExpression(read.callback) && usesOwnThisOrArguments(read.callback) ? 'function' : 'arrow';
    const branch = movedBranch(ctx, path.to === 'branch' ? path.statements : [], indent + step).map((l) => l.slice(indent.length));
    const name = param?.text ?? 'err';
    const sent = imports.freshName('sent');
    out.push(`const ${before} = ${t}.getHeaderNames()${s}`);
    out.push(`const ${sent} = ${fnKind === 'arrow' ? `(${cbParam(name)}) => {` : `function (${cbParam(name)}) {`}`);
    out.push(...guard(name, '', step), ...branch, `}${s}`);
    out.push(`${access}(${file}, ${readable}, (err) => {`);
    out.push(`${step}if (err) ${sent}(err)${s}`, `${step}else ${call(sent)})${s}`, `})${s}`);
  } else {
    const inner = step + step;
    const ok = imports.freshName('finished');
    const fail = imports.freshName('failed');
    out.push(`await ${access}(${file}, ${readable})${s}`);
    out.push(`await ${ts_ ? 'new Promise<void>' : 'new Promise'}((${ok}, ${fail}) => {`);
    out.push(`${step}const ${before} = ${t}.getHeaderNames()${s}`);
    out.push(`${step}${call('')}(${cbParam('err')}) => {`);
    out.push(...guard('err', `${ok}()`, inner), `${inner}${fail}(err)${s}`, `${step}})${s}`, `})${s}`);
  }
  const text = out.map((l, i) => (i === 0 || l === '' ? l : indent + l)).join(nl);
  const edits: OffsetEdit[] = [{ start: read.statement.getStart(ctx.sf), end: replaceTo.getEnd(), newText: text }];
  return { kind: 'framework', title: EXPRESS_SEND_FILE_TITLE, edits, imports };
}
