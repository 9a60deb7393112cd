/**
 * copyFile: a file read only to be written to another file becomes `copyFile(src, dst)`, in the
 * read's flavour (`fs.promises.copyFile` awaited, `copyFileSync`, or `copyFile` with a callback).
 * The kernel copies (copy_file_range, or a reflink where the file system shares blocks).
 *
 * What may differ, and is documented: the copy gets the source's permission bits (libuv copies the
 * mode), where writeFile created it 0666 minus the umask.
 */
import ts from 'typescript';
import { skipOuter } from '../../engine/scope';
import type { FixContext } from '../context';
import type { Rewrite } from '../rewrite';
import { checkTail, fsFunction, readEncoding, wholeRead, type WholeRead } from '../wholeRead';
import { checkOtherUses, isTheBytes } from '../payload';
import { methodName, quote, statementOf } from '../ast';
import { refuse } from '../refuse';
import { nodeModule, semi } from '../style';
import { indentAt } from '../text';

export const COPYFILE_TITLE = 'Copy with fs.copyFile() (the kernel copies; nothing goes through JavaScript)';

/**
 * `copyFile` (or `copyFileSync`) reached the way `callee` reached its module: `fs.readFile` ->
 * `fs.copyFile`, `fsp.readFile` -> `fsp.copyFile`, a named import -> a named import.
 */
function sibling(ctx: FixContext, imports: ReturnType<FixContext['imports']>, callee: ts.Expression, name: string, promises: boolean): string {
  const c = skipOuter(callee);
  if (ts.isPropertyAccessExpression(c)) return `${c.expression.getText(ctx.sf)}.${name}`;
  return imports.named(nodeModule(ctx.style, promises ? 'fs/promises' : 'fs'), name);
}

export function copyFileRewrite(ctx: FixContext): Rewrite {
  if (ctx.finding.rule !== 'file-to-file') refuse('the bytes go to a socket, not a file');
  if (ctx.finding.holds === 'whole-file') return wholeCopy(ctx);
  return streamCopy(ctx);
}

function writeOf(ctx: FixContext): { call: ts.CallExpression; fn: { name: string; flavor: string } } {
  const sink = ctx.sink;
  if (!sink) refuse(ctx.noSink().replace('sent', 'written'));
  if (!ts.isCallExpression(sink)) refuse(`the bytes are written by ${quote(ctx.sf, sink)}`);
  const fn = fsFunction(ctx, sink.expression);
  if (!fn || (fn.name !== 'writeFile' && fn.name !== 'writeFileSync')) refuse(`the bytes are written by ${quote(ctx.sf, sink.expression)}, not \`writeFile\``);
  if (fn.flavor === 'handle') refuse('the bytes are written through a FileHandle');
  return { call: sink, fn };
}

function wholeCopy(ctx: FixContext): Rewrite {
  const read = wholeRead(ctx);
  const { call: write, fn } = writeOf(ctx);
  const [dst, payload, third, fourth] = write.arguments;
  if (!dst || !payload || write.arguments.some((a) => ts.isSpreadElement(a))) refuse('the write has no destination or no data');
  const writeCallback = fn.name === 'writeFile' && fn.flavor === 'cb' ? (fourth ?? third) : undefined;
  const writeOptions = writeCallback === third ? undefined : third;
  if (writeOptions) {
    const enc = readEncoding(ctx, writeOptions, "the write's");
    if (enc === undefined || enc !== read.encoding) refuse(`the write's options ${quote(ctx.sf, writeOptions)} would be lost (copyFile keeps the bytes and takes the source's mode)`);
  }
  if (!isTheBytes(ctx, read, payload)) refuse(`the write writes ${quote(ctx.sf, payload)}, not the bytes as read`);
  if (read.encoding !== undefined && !['utf8', 'utf-8', 'latin1', 'binary'].includes(read.encoding)) refuse(`the file is decoded as ${read.encoding} and written back`);
  checkOtherUses(ctx, read, payload, []);
  if (read.region.length > 1) refuse(`${quote(ctx.sf, read.region[0]!)} runs between the read and the write`);
  const s = semi(ctx.style);
  const imports = ctx.imports();
  const src = read.path.getText(ctx.sf);
  const dstText = dst.getText(ctx.sf);
  const start = read.statement.getStart(ctx.sf);
  if (read.form === 'await') {
    const awaited = write.parent && ts.isAwaitExpression(write.parent) ? write.parent : undefined;
    if (!awaited || fn.name !== 'writeFile' || writeCallback) refuse('the write is not awaited where it is made');
    const copy = sibling(ctx, imports, read.call.expression, 'copyFile', true);
    return { kind: 'copyFile', title: COPYFILE_TITLE, edits: [{ start, end: read.sendStatement.getEnd(), newText: `await ${copy}(${src}, ${dstText})${s}` }], imports };
  }
  if (read.form === 'sync') {
    if (fn.name !== 'writeFileSync') refuse('the synchronous read is written asynchronously');
    const copy = sibling(ctx, imports, read.call.expression, 'copyFileSync', false);
    return { kind: 'copyFile', title: COPYFILE_TITLE, edits: [{ start, end: read.sendStatement.getEnd(), newText: `${copy}(${src}, ${dstText})${s}` }], imports };
  }
  return callbackCopy(ctx, read, write, writeCallback, imports, src, dstText);
}

/**
 * `fs.readFile(a, (err, data) => { if (err) return done(err); fs.writeFile(b, data, done); })`:
 * both failures went to the same callback, so `fs.copyFile(a, b, done)` reports the same ones.
 */
function callbackCopy(ctx: FixContext, read: WholeRead, write: ts.CallExpression, writeCallback: ts.Expression | undefined, imports: ReturnType<FixContext['imports']>, src: string, dst: string): Rewrite {
  if (!read.completion || read.unhandled) refuse('the read is not a callback read');
  checkTail(ctx, read.tail);
  const done = writeCallback && skipOuter(writeCallback);
  if (!done || !ts.isIdentifier(done)) refuse('the write reports to a callback written here; which failure it handles cannot be kept apart from the read\'s');
  // The error branch: `done(err)` (or `return done(err)`), and maybe a bare `return` after it.
  const error = read.completion.error.filter((st, i, all) => !(i === all.length - 1 && ts.isReturnStatement(st) && !st.expression));
  const only = error.length === 1 ? error[0]! : undefined;
  const errExpr = only && (ts.isReturnStatement(only) ? only.expression : ts.isExpressionStatement(only) ? only.expression : undefined);
  const e = errExpr && skipOuter(errExpr);
  const passes = e && ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === done.text && e.arguments.length === 1 && ts.isIdentifier(skipOuter(e.arguments[0]!)) && (skipOuter(e.arguments[0]!) as ts.Identifier).text === read.errParam?.text;
  if (!passes) refuse(`the read's error branch does not hand the error to \`${done.text}\` as the write does; copyFile has one callback for both`);
  const copy = sibling(ctx, imports, read.call.expression, 'copyFile', false);
  const s = semi(ctx.style);
  const text = `${copy}(${src}, ${dst}, ${done.text})${s}` + (read.returned ? `${ctx.style.newline}${indentAt(ctx.sf.text, read.statement.getStart(ctx.sf))}return${s}` : '');
  return { kind: 'copyFile', title: COPYFILE_TITLE, edits: [{ start: read.statement.getStart(ctx.sf), end: read.statement.getEnd(), newText: text }], imports };
}

/** `pipeline(createReadStream(a), createWriteStream(b), cb)`, `await pipeline(…)`, `.pipe(createWriteStream(b))`. */
function streamCopy(ctx: FixContext): Rewrite {
  const sink = ctx.sink;
  if (!sink) refuse(ctx.noSink().replace('the bytes are sent', 'the stream is written'));
  if (!ts.isCallExpression(sink)) refuse('the stream is not written by a call');
  // The destination: a write stream opened right there.
  const destArg = methodName(sink) === 'pipe' ? sink.arguments[0] : sink.arguments[1];
  const dest = destArg && skipOuter(destArg);
  if (!dest || !(ts.isCallExpression(dest) || ts.isNewExpression(dest))) refuse('the stream is written to a stream opened elsewhere');
  const fn = fsFunction(ctx, dest.expression);
  if (!fn || (fn.name !== 'createWriteStream' && fn.name !== 'WriteStream')) refuse(`the stream is written to ${quote(ctx.sf, dest)}, not a file write stream`);
  const dargs = dest.arguments ?? ts.factory.createNodeArray();
  if (dargs.length !== 1) refuse(`the write stream's options ${dargs[1] ? quote(ctx.sf, dargs[1]) : ''} would be lost`.trim());
  const site = streamSiteForCopy(ctx);
  const s = semi(ctx.style);
  const imports = ctx.imports();
  const src = site.path.getText(ctx.sf);
  const dst = dargs[0]!.getText(ctx.sf);
  const statement = site.statement;
  if (site.form === 'pipeline-await') {
    const copy = imports.named(nodeModule(ctx.style, 'fs/promises'), 'copyFile');
    return { kind: 'copyFile', title: COPYFILE_TITLE, edits: [{ start: statement.getStart(ctx.sf), end: statement.getEnd(), newText: `await ${copy}(${src}, ${dst})${s}` }], imports };
  }
  const copy = siblingOfCreate(ctx, imports, site.createCallee);
  const cb = site.callback ? site.callback.getText(ctx.sf) : `(err) => {${ctx.style.newline}${indentAt(ctx.sf.text, statement.getStart(ctx.sf))}${ctx.style.indent}if (err) throw err${s}${ctx.style.newline}${indentAt(ctx.sf.text, statement.getStart(ctx.sf))}}`;
  return { kind: 'copyFile', title: COPYFILE_TITLE, edits: [{ start: statement.getStart(ctx.sf), end: statement.getEnd(), newText: `${copy}(${src}, ${dst}, ${cb})${s}` }], imports };
}

function siblingOfCreate(ctx: FixContext, imports: ReturnType<FixContext['imports']>, callee: ts.Expression): string {
  const c = skipOuter(callee);
  if (ts.isPropertyAccessExpression(c)) return `${c.expression.getText(ctx.sf)}.copyFile`;
  return imports.named(nodeModule(ctx.style, 'fs'), 'copyFile');
}

/** The stream copy's shape: the read stream opened right in the pipe or pipeline, nothing listening. */
function streamSiteForCopy(ctx: FixContext): { form: 'pipe' | 'pipeline' | 'pipeline-await'; path: ts.Expression; statement: ts.Statement; callback?: ts.Expression; createCallee: ts.Expression } {
  const sink = ctx.sink as ts.CallExpression;
  const create = ctx.source;
  const args = create.arguments ?? ts.factory.createNodeArray();
  if (args.length !== 1) refuse(`the read stream's options ${args[1] ? quote(ctx.sf, args[1]) : ''} would be lost`.trim());
  const statement = statementOf(sink);
  if (!statement) refuse('the copy is not a statement of its own');
  if (methodName(sink) === 'pipe') {
    const recv = skipOuter((skipOuter(sink.expression) as ts.PropertyAccessExpression).expression);
    if (recv !== create) refuse('the read stream is not piped where it is opened');
    if (!ts.isExpressionStatement(statement) || skipOuter(statement.expression) !== sink) refuse('the pipe is part of a larger expression (its result is used)');
    // Nothing listens: an error of either stream was an uncaught exception, and stays one.
    return { form: 'pipe', path: args[0]!, statement, createCallee: create.expression };
  }
  const mod = ctx.ev.eval(sink.expression).find((v) => v.t === 'modfn' && v.name === 'pipeline');
  if (!mod || mod.t !== 'modfn') refuse(`the copy is made by ${quote(ctx.sf, sink.expression)}`);
  if (skipOuter(sink.arguments[0]!) !== create || sink.arguments.length > 3) refuse('the pipeline holds more than the two streams');
  if (mod.mod === 'stream/promises') {
    if (!sink.parent || !ts.isAwaitExpression(sink.parent) || !ts.isExpressionStatement(statement) || skipOuter(statement.expression) !== sink.parent) refuse('the pipeline is not awaited as a statement of its own');
    return { form: 'pipeline-await', path: args[0]!, statement, createCallee: create.expression };
  }
  if (!ts.isExpressionStatement(statement) || skipOuter(statement.expression) !== sink) refuse('the pipeline is part of a larger expression');
  const callback = sink.arguments[2];
  if (!callback) refuse('the pipeline has no callback');
  return { form: 'pipeline', path: args[0]!, statement, callback, createCallee: create.expression };
}

