/**
 * sendfile for a read loop: a FileHandle opened by path in this function, read a chunk at a time
 * from its first byte to its end, each chunk written unchanged to an HTTP/1 response or a socket,
 * becomes `await sendFile(target, handle)`. The handle stays: it is opened (its errors thrown where
 * they were) and closed as before; sendFile reads it from byte 0 without moving its position.
 *
 *   const fh = await open(path[, 'r']);
 *   …                                    (the head: writeHead becomes statusCode and setHeader)
 *   let pos = 0;                         (or `null` as the read's position)
 *   while (pos < size | true) / for (;;) {
 *     const buf = Buffer.alloc(N);       (or before the loop)
 *     const { bytesRead } = await fh.read(buf, 0, buf.length | N, pos | null);
 *     if (bytesRead === 0) break;
 *     target.write(buf.subarray(0, bytesRead));   (or `if (!target.write(…)) await once(target, 'drain')`)
 *     pos += bytesRead;
 *   }
 *   res.end();                           (an HTTP response: sendFile ends it)
 *
 * A `readSync` loop over `const fd = fs.openSync(path)` (the read in a while's condition, or a
 * const in the body) becomes `sendFile(target, fd).then(() => { the code after the loop })`, when
 * the loop is its function's last statement and the function's caller ignores what it returns.
 *
 * What differs and is made up for: sendFile fails before touching the target where the loop failed
 * at its first read (a directory), after the head was built; when the code built it (writeHead),
 * the rejection handler builds it again, so the caller sees what it saw. A failure mid-transfer
 * (a reset peer) is what the loop's writes ignored: so does the rewrite.
 */
import ts from 'typescript';
import { skipOuter, type Binding } from '../../engine/scope';
import type { FixContext } from '../context';
import type { OffsetEdit, Rewrite } from '../rewrite';
import { enclosingFunction, inside, isFunctionNode, lineOf, literalText, methodName, quote, siblingsOf, statementOf, callChain } from '../ast';
import { deleteStatement } from '../delete';
import { layoutAt, movedBranch } from '../emit';
import { isRequestHandlerFunction } from '../handlers';
import { failureHandler } from '../failure';
import { analyseHead, isTarget } from '../responseHead';
import { targetOf, type Target } from '../target';
import { refuse } from '../refuse';
import { semi } from '../style';
import { describeTarget, RESPOND_WITH_FD_TITLE, SENDFILE_TITLE, unsupportedTarget } from './sendfile';
import { nodeModule } from '../style';
import { fsFunction } from '../wholeRead';
import { bindingOf, loopRange, rangeOptions, readShape } from '../loopRange';

type Loop = ts.WhileStatement | ts.ForStatement | ts.DoStatement;

/** A positive constant (`65536`, `64 * 1024`, `1 << 16`, a const bound to one), or undefined. */
function positiveConstant(ctx: FixContext, e: ts.Expression, depth = 0): number | undefined {
  const x = skipOuter(e);
  if (ts.isNumericLiteral(x)) return Number(x.text);
  if (ts.isBinaryExpression(x) && depth < 8) {
    const a = positiveConstant(ctx, x.left, depth + 1);
    const b = positiveConstant(ctx, x.right, depth + 1);
    if (a === undefined || b === undefined) return undefined;
    switch (x.operatorToken.kind) {
      case ts.SyntaxKind.AsteriskToken:
        return a * b;
      case ts.SyntaxKind.LessThanLessThanToken:
        return a << b;
      case ts.SyntaxKind.PlusToken:
        return a + b;
      default:
        return undefined;
    }
  }
  const b = bindingOf(ctx, x);
  if (b && b.kind === 'const' && b.path.length === 0 && ts.isVariableDeclaration(b.decl) && b.decl.initializer && depth < 8) {
    return positiveConstant(ctx, b.decl.initializer, depth + 1);
  }
  return undefined;
}

/** `const h = await open(path[, 'r'])` (fs/promises): the handle's binding and the path. */
function openedHandle(ctx: FixContext, handle: ts.Expression): { binding: Binding; open: ts.Node } {
  const b = bindingOf(ctx, handle);
  const decl = b?.decl;
  const init = decl && ts.isVariableDeclaration(decl) && b!.path.length === 0 ? decl.initializer && skipOuter(decl.initializer) : undefined;
  const call = init && ts.isAwaitExpression(init) ? skipOuter(init.expression) : undefined;
  const fn = call && ts.isCallExpression(call) ? fsFunction(ctx, call.expression) : undefined;
  if (!b || b.kind !== 'const' || !call || !ts.isCallExpression(call) || fn?.name !== 'open' || fn.flavor !== 'promise') {
    refuse(`the FileHandle ${quote(ctx.sf, handle)} is not opened by path where it is declared (\`const ${handle.getText(ctx.sf)} = await open(path)\`), so which file it reads, and from where, is not known`);
  }
  const flags = call.arguments[1];
  if (call.arguments.length > 2 || (flags && literalText(flags) !== 'r')) refuse(`the file is opened with ${quote(ctx.sf, call)}, not for reading alone`);
  return { binding: b, open: decl! };
}

/** Whether `size` is the handle's size: `(await h.stat()).size`, or a const bound to `s.size` of `const s = await h.stat()`. */
function isHandleSize(ctx: FixContext, handle: Binding, e: ts.Expression, depth = 0): boolean {
  const x = skipOuter(e);
  const statOf = (v: ts.Expression): boolean => {
    const a = skipOuter(v);
    const c = ts.isAwaitExpression(a) ? skipOuter(a.expression) : undefined;
    return !!c && ts.isCallExpression(c) && methodName(c) === 'stat' && c.arguments.length === 0 && ts.isPropertyAccessExpression(c.expression) && bindingOf(ctx, c.expression.expression) === handle;
  };
  if (ts.isPropertyAccessExpression(x) && x.name.text === 'size') {
    if (statOf(x.expression)) return true;
    const s = bindingOf(ctx, x.expression);
    return !!s && s.kind === 'const' && s.path.length === 0 && ts.isVariableDeclaration(s.decl) && !!s.decl.initializer && statOf(s.decl.initializer);
  }
  const b = bindingOf(ctx, x);
  if (b && b.kind === 'const' && depth < 4) {
    if (ts.isVariableDeclaration(b.decl) && b.path.length === 0 && b.decl.initializer) return isHandleSize(ctx, handle, b.decl.initializer, depth + 1);
    // `const { size } = await h.stat()`
    if (b.path.length === 1 && b.path[0] === 'size' && ts.isVariableDeclaration(b.decl) && b.decl.initializer) {
      const init = skipOuter(b.decl.initializer);
      const c = ts.isAwaitExpression(init) ? skipOuter(init.expression) : undefined;
      return !!c && ts.isCallExpression(c) && methodName(c) === 'stat' && ts.isPropertyAccessExpression(c.expression) && bindingOf(ctx, c.expression.expression) === handle;
    }
  }
  return false;
}

/** `if (n === 0) break;`, `if (n <= 0) break;`, `if (!n) break;`. */
function isBreakAtEnd(ctx: FixContext, s: ts.Statement, n: Binding): boolean {
  if (!ts.isIfStatement(s) || s.elseStatement) return false;
  const then = ts.isBlock(s.thenStatement) && s.thenStatement.statements.length === 1 ? s.thenStatement.statements[0]! : s.thenStatement;
  if (!ts.isBreakStatement(then) || then.label) return false;
  const c = skipOuter(s.expression);
  if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) return bindingOf(ctx, c.operand) === n;
  if (!ts.isBinaryExpression(c) || bindingOf(ctx, c.left) !== n) return false;
  const zero = ts.isNumericLiteral(skipOuter(c.right)) && (skipOuter(c.right) as ts.NumericLiteral).text === '0';
  const op = c.operatorToken.kind;
  return zero && (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.LessThanEqualsToken);
}

/** `buf.subarray(0, n)` / `buf.slice(0, n)`, also inside `Buffer.from(…)`. */
function isChunk(ctx: FixContext, e: ts.Expression, buf: Binding, n: Binding): boolean {
  let x = skipOuter(e);
  if (ts.isCallExpression(x) && x.arguments.length === 1 && x.expression.getText(ctx.sf) === 'Buffer.from') x = skipOuter(x.arguments[0]!);
  if (!ts.isCallExpression(x) || x.arguments.length !== 2 || !ts.isPropertyAccessExpression(x.expression)) return false;
  const m = x.expression.name.text;
  const [from, to] = x.arguments;
  return (m === 'subarray' || m === 'slice') && bindingOf(ctx, x.expression.expression) === buf && literalText(from) === undefined && skipOuter(from!).getText(ctx.sf) === '0' && bindingOf(ctx, to) === n;
}

/** The write of the chunk: `t.write(chunk);` or `if (!t.write(chunk)) await once(t, 'drain');`. */
function writeCall(ctx: FixContext, s: ts.Statement): ts.CallExpression | undefined {
  if (ts.isExpressionStatement(s)) {
    const e = skipOuter(s.expression);
    return ts.isCallExpression(e) && methodName(e) === 'write' ? e : undefined;
  }
  if (!ts.isIfStatement(s) || s.elseStatement) return undefined;
  const c = skipOuter(s.expression);
  if (!ts.isPrefixUnaryExpression(c) || c.operator !== ts.SyntaxKind.ExclamationToken) return undefined;
  const w = skipOuter(c.operand);
  if (!ts.isCallExpression(w) || methodName(w) !== 'write' || !ts.isPropertyAccessExpression(w.expression)) return undefined;
  const then = ts.isBlock(s.thenStatement) && s.thenStatement.statements.length === 1 ? s.thenStatement.statements[0]! : s.thenStatement;
  const wait = ts.isExpressionStatement(then) && ts.isAwaitExpression(skipOuter(then.expression)) ? skipOuter((skipOuter(then.expression) as ts.AwaitExpression).expression) : undefined;
  if (!wait || !ts.isCallExpression(wait) || wait.arguments.length !== 2 || literalText(wait.arguments[1]) !== 'drain') return undefined;
  if (!ctx.ev.eval(wait.expression).some((v) => v.t === 'modfn' && v.mod === 'events' && v.name === 'once')) return undefined;
  const receiver = w.expression.expression;
  if (skipOuter(wait.arguments[0]!).getText(ctx.sf) !== skipOuter(receiver).getText(ctx.sf)) return undefined;
  return w;
}

/** Every reference to `b` lies inside one of `allowed`; otherwise no fix, naming the first that does not. */
function onlyUsedIn(ctx: FixContext, b: Binding, allowed: readonly ts.Node[], what: string): void {
  for (const ref of ctx.ev.scopes.refsOf(b)) {
    if (ref === b.id) continue;
    if (allowed.some((a) => ref.pos >= a.pos && ref.end <= a.end)) continue;
    const st = statementOf(ref) ?? ref;
    refuse(`${what} \`${b.name}\` is also used at line ${lineOf(ctx.sf, ref)} (${quote(ctx.sf, st, 50)}): the loop is not all it is for`);
  }
}

/** `socket.on('data', fn)` / `once`: an event listener of a socket or response, whose caller (emit) ignores what it returns. */
function isSocketListener(ctx: FixContext, fn: ts.Node): boolean {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[1] !== fn || literalText(call.arguments[0]) === undefined) return false;
  const callee = skipOuter(call.expression);
  return ts.isPropertyAccessExpression(callee) && ['on', 'once', 'addListener'].includes(callee.name.text) && ctx.ev.eval(callee.expression).some((v) => v.t === 'sink' && (v.sink.cls === 'socket' || v.sink.cls === 'http-response'));
}

/** Whether a `return` of a value (not one of a nested function) is in `st`. */
function containsReturn(st: ts.Node): boolean {
  if (ts.isReturnStatement(st) && st.expression) return true;
  return !!ts.forEachChild(st, (c) => (isFunctionNode(c) ? undefined : containsReturn(c) || undefined));
}

/**
 * Whether `callee` is fs's `name` (`fs.openSync`, `require('fs').openSync`, a name destructured from
 * fs): the engine's evaluator knows fs's readers and writers, not its descriptor calls.
 */
function isFsMember(ctx: FixContext, callee: ts.Expression, name: string): boolean {
  const c = skipOuter(callee);
  const isFs = (e: ts.Expression) => ctx.ev.eval(e).some((v) => v.t === 'mod' && v.name === 'fs');
  if (ts.isPropertyAccessExpression(c)) return c.name.text === name && isFs(c.expression);
  const b = bindingOf(ctx, c);
  const decl = b?.decl;
  // `import { close } from 'node:fs'`
  if (b && b.kind === 'import' && decl && ts.isImportSpecifier(decl)) {
    const from = decl.parent.parent.parent.moduleSpecifier;
    return (decl.propertyName ?? decl.name).text === name && ts.isStringLiteral(from) && /^(node:)?fs$/.test(from.text);
  }
  return !!b && b.path.length === 1 && b.path[0] === name && !!decl && ts.isVariableDeclaration(decl) && !!decl.initializer && isFs(decl.initializer);
}

/** `util.promisify(fs.<name>)`, called where it is made or through a const bound to it. */
function isPromisified(ctx: FixContext, callee: ts.Expression, name: string): boolean {
  let c = skipOuter(callee);
  const b = bindingOf(ctx, c);
  if (b && b.kind === 'const' && b.path.length === 0 && ts.isVariableDeclaration(b.decl) && b.decl.initializer) c = skipOuter(b.decl.initializer);
  return (
    ts.isCallExpression(c) &&
    c.arguments.length === 1 &&
    ctx.ev.eval(c.expression).some((v) => v.t === 'modfn' && v.mod === 'util' && v.name === 'promisify') &&
    (ctx.ev.eval(c.arguments[0]!).some((v) => v.t === 'fsfn' && v.name === name && v.flavor === 'cb') || isFsMember(ctx, c.arguments[0]!, name))
  );
}

/**
 * Why an `fs.read` whose callback starts the next read is no fix: the rewrite follows loops, where
 * the code that runs once the file is sent is the code after the loop; in a recursion it is a
 * branch of the callback (its `bytesRead === 0` case), which the rewrite does not prove.
 */
function callbackRecursion(ctx: FixContext, read: ts.CallExpression): string {
  const fn = enclosingFunction(read);
  let name: string | undefined;
  if (fn && (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) name = fn.name.text;
  else if (fn && fn.parent && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) name = fn.parent.name.text;
  const through = name ? ` through \`${name}\`` : '';
  return `the chunks are read by \`fs.read\` callbacks that start the next read themselves (a recursion${through}, not a loop): the rewrite follows loops, whose code after the loop is what runs once the file is sent, and does not prove which branch of the callback ends the transfer (a loop over \`util.promisify(fs.read)\` in an async function is rewritten)`;
}

/** `const fd = fs.openSync(path[, 'r'])` (or awaited from a promisified `fs.open`): the descriptor's binding. */
function openedDescriptor(ctx: FixContext, fd: ts.Expression | undefined): { binding: Binding; open: ts.Node } {
  const b = fd && bindingOf(ctx, fd);
  const decl = b?.decl;
  const init = decl && ts.isVariableDeclaration(decl) && b!.path.length === 0 && decl.initializer ? skipOuter(decl.initializer) : undefined;
  // `fs.openSync(path)`, or `await open(path)` with `open = util.promisify(fs.open)`.
  const call = init && ts.isAwaitExpression(init) ? skipOuter(init.expression) : init;
  const opens = !!call && ts.isCallExpression(call) && (call === init ? isFsMember(ctx, call.expression, 'openSync') : isPromisified(ctx, call.expression, 'open'));
  if (!b || b.kind !== 'const' || !call || !ts.isCallExpression(call) || !opens) {
    refuse(`the descriptor ${fd ? quote(ctx.sf, fd) : ''} is not opened by path where it is declared (\`const fd = fs.openSync(path)\`, \`const fd = await promisify(fs.open)(path)\`), so which file it reads, and from where, is not known`);
  }
  const flags = call.arguments[1];
  if (call.arguments.length > 2 || (flags && literalText(flags) !== 'r')) refuse(`the file is opened with ${quote(ctx.sf, call)}, not for reading alone`);
  return { binding: b, open: decl! };
}

interface LoopRead {
  loop: Loop;
  /** The chunk's length. */
  n: Binding;
  /** The read is the loop's condition (`while ((n = readSync(…)) > 0)`): it stops the loop itself. */
  conditionIsRead: boolean;
  /** The loop body's statements before the read, and after it. */
  before: readonly ts.Statement[];
  after: readonly ts.Statement[];
}

function loopOf(read: ts.Statement): Loop {
  const body = read.parent;
  const loop = ts.isBlock(body) ? (body.parent as ts.Node) : undefined;
  if (!loop || !(ts.isWhileStatement(loop) || ts.isForStatement(loop) || ts.isDoStatement(loop)) || loop.statement !== body) {
    return refuse('the read is not directly in the body of a `while` or `for` loop');
  }
  return loop;
}

/** `const { bytesRead } = await h.read(…)`, a statement of a loop's body. */
function handleLoopRead(ctx: FixContext, read: ts.CallExpression): LoopRead {
  const awaited = skipOuter(read.parent as ts.Expression);
  const readStatement = statementOf(read);
  const readDecl = awaited && ts.isAwaitExpression(awaited) && ts.isVariableDeclaration(awaited.parent) ? awaited.parent : undefined;
  const pattern = readDecl && ts.isObjectBindingPattern(readDecl.name) && readDecl.name.elements.length === 1 ? readDecl.name.elements[0]! : undefined;
  const propName = pattern && (pattern.propertyName ? pattern.propertyName.getText(ctx.sf) : pattern.name.getText(ctx.sf));
  if (!readStatement || !readDecl || !pattern || propName !== 'bytesRead' || !ts.isIdentifier(pattern.name) || pattern.dotDotDotToken) {
    refuse("the chunk's length is not taken as `const { bytesRead } = await fh.read(…)`");
  }
  const loop = loopOf(readStatement);
  const statements = (loop.statement as ts.Block).statements;
  const at = statements.indexOf(readStatement);
  return { loop, n: ctx.ev.scopes.declaredBy(pattern.name as ts.Identifier)!, conditionIsRead: false, before: statements.slice(0, at), after: statements.slice(at + 1) };
}

/** `while ((n = fs.readSync(…)) > 0) …`, or `const n = fs.readSync(…)` as a statement of a loop's body. */
function syncLoopRead(ctx: FixContext, read: ts.CallExpression): LoopRead {
  let up: ts.Node = read.parent;
  while (ts.isParenthesizedExpression(up)) up = up.parent;
  if (ts.isVariableDeclaration(up) && up.initializer && skipOuter(up.initializer) === read && ts.isIdentifier(up.name)) {
    const st = statementOf(read)!;
    const loop = loopOf(st);
    const statements = (loop.statement as ts.Block).statements;
    const at = statements.indexOf(st);
    const n = ctx.ev.scopes.declaredBy(up.name)!;
    if (n.kind !== 'const') refuse("the chunk's length is not taken as `const n = fs.readSync(…)` or in the loop's condition");
    return { loop, n, conditionIsRead: false, before: statements.slice(0, at), after: statements.slice(at + 1) };
  }
  // `(n = fs.readSync(…)) > 0` (or `!== 0`) as a while's whole condition
  const assign = up;
  let cmp: ts.Node = assign.parent;
  while (cmp && ts.isParenthesizedExpression(cmp)) cmp = cmp.parent;
  const loop = cmp?.parent;
  const n = ts.isBinaryExpression(assign) && assign.operatorToken.kind === ts.SyntaxKind.EqualsToken ? bindingOf(ctx, assign.left) : undefined;
  const stops =
    !!cmp &&
    ts.isBinaryExpression(cmp) &&
    skipOuter(cmp.left) === skipOuter(assign as ts.Expression) &&
    skipOuter(cmp.right).getText(ctx.sf) === '0' &&
    [ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(cmp.operatorToken.kind);
  if (!n || n.kind !== 'let' || !stops || !loop || !ts.isWhileStatement(loop) || skipOuter(loop.expression) !== skipOuter(cmp as ts.Expression)) {
    refuse("the chunk's length is not taken as `const n = fs.readSync(…)` or in the loop's condition");
  }
  if (ctx.ev.scopes.assignmentsOf(n).length !== 1) refuse("the chunk's length is not taken as `const n = fs.readSync(…)` or in the loop's condition");
  const body = (loop as ts.WhileStatement).statement;
  return { loop: loop as ts.WhileStatement, n, conditionIsRead: true, before: [], after: ts.isBlock(body) ? body.statements : [body] };
}

function bufferShape(ctx: FixContext, bufArg: ts.Expression): string {
  return `the chunks are read into ${quote(ctx.sf, bufArg)}, not a Buffer of a constant size allocated for them (\`const buf = Buffer.alloc(65536)\`)`;
}

function besides(ctx: FixContext, st: ts.Statement): string {
  return `${quote(ctx.sf, st, 50)} runs in the loop besides reading, writing and counting the chunk`;
}

/**
 * `kind` 'respondWithFile': the same loop writing to an HTTP/2 compatibility response
 * (`res.write` of `http2.createServer((req, res) => …)`), which sendFile answers with
 * respondWithFD from the response's status and headers, resolving once the stream closed (so the
 * file is closed after the transfer, as after the loop).
 */
export function readLoopToSendFile(ctx: FixContext, kind: 'sendfile' | 'respondWithFile' | 'stream' = 'sendfile'): Rewrite {
  const read = ctx.source;
  if (!ts.isCallExpression(read)) return refuse('the read is a `new` expression');
  const fn = fsFunction(ctx, read.expression);
  const sync = fn?.name === 'readSync' && fn.flavor === 'cb';
  // `util.promisify(fs.read)`: fs/promises has no `read` of its own, so this is the only promise `read`.
  const promised = fn?.name === 'read' && fn.flavor === 'promise';
  const descriptor = sync || promised;
  const last = read.arguments[read.arguments.length - 1];
  if (fn?.name === 'read' && fn.flavor === 'cb' && last && (ts.isArrowFunction(skipOuter(last)) || ts.isFunctionExpression(skipOuter(last)) || ts.isIdentifier(skipOuter(last)))) {
    refuse(callbackRecursion(ctx, read));
  }
  if (!descriptor && (fn?.flavor !== 'handle' || fn.name !== 'read')) {
    refuse(`the loop reads with ${quote(ctx.sf, read.expression)}, with no callback (a promise only where the module is fs-extra, which the rewrite does not tell from fs); it knows the loop over a FileHandle's \`read\`, over \`util.promisify(fs.read)\` in an async function, and over \`readSync\``);
  }
  const callee = read.expression;
  const { binding: handle, open } = descriptor ? openedDescriptor(ctx, read.arguments[0]) : openedHandle(ctx, ts.isPropertyAccessExpression(callee) ? callee.expression : callee);
  const loopRead = sync ? syncLoopRead(ctx, read) : handleLoopRead(ctx, read);
  const { loop, n } = loopRead;
  if (enclosingFunction(loop) !== enclosingFunction(open)) refuse('the file is opened in another function than the one that loops over it');
  const args = descriptor ? read.arguments.slice(1) : read.arguments;
  if (descriptor && (read.arguments.length !== 5 || !ts.isIdentifier(read.arguments[0]!))) refuse(readShape());
  if (args.length !== 4 || args.some(ts.isSpreadElement)) refuse(readShape());
  const [bufArg, offset, length, position] = args as unknown as [ts.Expression, ts.Expression, ts.Expression, ts.Expression];
  const buf = bindingOf(ctx, bufArg);
  const bufDecl = buf && buf.kind === 'const' && buf.path.length === 0 && ts.isVariableDeclaration(buf.decl) ? buf.decl : undefined;
  const alloc = bufDecl?.initializer && skipOuter(bufDecl.initializer);
  if (!buf || !bufDecl || !alloc || !ts.isCallExpression(alloc) || !/^Buffer\.(alloc|allocUnsafe|allocUnsafeSlow)$/.test(alloc.expression.getText(ctx.sf)) || !alloc.arguments[0]) {
    refuse(bufferShape(ctx, bufArg));
  }
  const size = positiveConstant(ctx, alloc.arguments[0]!);
  if (!(size! > 0)) refuse(bufferShape(ctx, bufArg));
  if (skipOuter(offset).getText(ctx.sf) !== '0') refuse(readShape());
  const isBufferLength = (e: ts.Expression) => {
    const x = skipOuter(e);
    return (ts.isPropertyAccessExpression(x) && (x.name.text === 'length' || x.name.text === 'byteLength') && bindingOf(ctx, x.expression) === buf) || positiveConstant(ctx, x) === size;
  };

  // The position: `null` (the handle's own, at 0 since nothing else reads it), or a counter from
  // its first value (byte 0, or a range's start).
  const pos = skipOuter(position);
  const posBinding = pos.kind === ts.SyntaxKind.NullKeyword ? undefined : bindingOf(ctx, pos);
  if (pos.kind !== ts.SyntaxKind.NullKeyword) {
    const d = posBinding?.decl;
    if (!posBinding || posBinding.kind !== 'let' || !d || !ts.isVariableDeclaration(d) || !d.initializer || posBinding.path.length) {
      refuse(`the loop reads at ${quote(ctx.sf, position)}, not at a position counted from a first value it is given (\`let pos = 0\`, \`let pos = start\`)`);
    }
  }

  // The loop's condition and the read's length: the whole file, or a range of it.
  const range = loopRange(ctx, {
    loop,
    pos: posBinding,
    length,
    isBufferLength,
    isFileSize: (e) => isHandleSize(ctx, handle, e),
    excluded: [n, buf],
    between: [bufDecl.parent.parent as ts.Statement],
    conditionIsRead: loopRead.conditionIsRead,
  });
  const ranged = !!(range.start || range.end);
  if (ranged && sync && kind !== 'stream') {
    refuse("the loop reads a range with `readSync`: where the range holds no byte of the file the code after the loop would have to run from sendFile's rejection handler too; the rewrite knows ranges over a FileHandle's `read`");
  }
  const before = loopRead.before;
  const stray = before.find((s) => s !== bufDecl.parent.parent);
  if (stray) refuse(besides(ctx, stray));
  const [breakIf, writeStatement, advance, ...more] = loopRead.conditionIsRead ? [undefined, ...loopRead.after] : loopRead.after;
  if (!loopRead.conditionIsRead && (!breakIf || !isBreakAtEnd(ctx, breakIf, n))) refuse('the loop does not stop right after a read that returned no bytes (`if (bytesRead === 0) break`)');
  const write = writeStatement && writeCall(ctx, writeStatement);
  if (!write || write !== ctx.sink || !ts.isPropertyAccessExpression(write.expression) || write.arguments.length !== 1 || !isChunk(ctx, write.arguments[0]!, buf, n)) {
    refuse('the loop does not write the chunk it read (`target.write(buf.subarray(0, bytesRead))`) right after that check');
  }
  const advances =
    !!advance &&
    ts.isExpressionStatement(advance) &&
    ts.isBinaryExpression(skipOuter(advance.expression)) &&
    (skipOuter(advance.expression) as ts.BinaryExpression).operatorToken.kind === ts.SyntaxKind.PlusEqualsToken &&
    bindingOf(ctx, (skipOuter(advance.expression) as ts.BinaryExpression).left) === posBinding &&
    bindingOf(ctx, (skipOuter(advance.expression) as ts.BinaryExpression).right) === n;
  if (posBinding ? !advances || more.length : advance) refuse(besides(ctx, (posBinding && advances ? more[0] : advance) ?? writeStatement!));

  // Nothing else uses the handle (so the loop reads from its first byte), the buffer, the count.
  const stats: ts.Node[] = [];
  for (const ref of ctx.ev.scopes.refsOf(handle)) {
    const access = ref.parent;
    if (descriptor) {
      // fs.fstatSync(fd) / fs.closeSync(fd), or promisified fstat / close: the descriptor as their only argument.
      const statOrClose = (c: ts.CallExpression) => isFsMember(ctx, c.expression, 'fstatSync') || isFsMember(ctx, c.expression, 'closeSync') || isPromisified(ctx, c.expression, 'fstat') || isPromisified(ctx, c.expression, 'close');
      if (ts.isCallExpression(access) && access.arguments.length === 1 && access.arguments[0] === ref && statOrClose(access)) stats.push(access);
    } else if (ts.isPropertyAccessExpression(access) && access.expression === ref && ts.isCallExpression(access.parent) && access.parent.arguments.length === 0 && (access.name.text === 'stat' || access.name.text === 'close')) stats.push(access.parent);
  }
  onlyUsedIn(ctx, handle, [read, ...stats], descriptor ? 'the descriptor' : 'the FileHandle');
  onlyUsedIn(ctx, buf, [bufDecl, loop], 'the buffer');
  onlyUsedIn(ctx, n, [n.decl, loop], 'the chunk\'s length');
  if (posBinding) onlyUsedIn(ctx, posBinding, [posBinding.decl, loop], 'the position');

  /** The declarations the loop alone used (its buffer, position, count; a promisified reader used nowhere else), deleted with it. */
  const declarationEdits = (): OffsetEdit[] => {
    const out: OffsetEdit[] = [];
    if (promised) {
      const reader = bindingOf(ctx, read.expression);
      const decl = reader?.decl;
      const only = !!reader && ctx.ev.scopes.refsOf(reader).every((r) => r === reader.id || r === skipOuter(read.expression));
      if (only && decl && ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) && ts.isVariableStatement(decl.parent.parent) && decl.parent.declarations.length === 1) out.push(deleteStatement(ctx, decl.parent.parent));
    }
    for (const st of [bufDecl.parent.parent, range.keepPosition ? undefined : posBinding?.decl.parent.parent, sync ? n.decl.parent.parent : undefined]) {
      if (st && ts.isVariableStatement(st) && st.declarationList.declarations.length === 1 && !inside(st, loop)) out.push(deleteStatement(ctx, st));
    }
    return out;
  };

  // The target: an HTTP/1 response (ended right after the loop: sendFile ends it) or a socket.
  const target: Target = targetOf(ctx, callChain(write.expression.expression).root);
  if (kind === 'stream') {
    if (target.kind !== 'http-response' && target.kind !== 'socket') refuse(`the loop writes to ${describeTarget(target)}; the stream alternative for a read loop is offered for HTTP/1 responses and sockets`);
  } else if (kind === 'respondWithFile') {
    if (target.kind === 'http2-stream') {
      refuse("the loop writes to an HTTP/2 stream answered with `stream.respond(…)`: respondWithFD sends a head of its own and reads the file after it returns, so the head and the file's close would both have to move; the rewrite knows read loops to a compatibility response (`res.write`), which sendFile answers with respondWithFD");
    }
    if (target.kind !== 'http2-compat') refuse('the loop does not write to HTTP/2: see the sendfile fix');
  } else if (target.kind !== 'http-response' && target.kind !== 'socket') refuse(unsupportedTarget(target));
  const response = target.kind === 'http-response' || target.kind === 'http2-compat';
  // A label changes nothing: the body was checked to hold no `break` or `continue` but its own.
  let loopStatement: ts.Statement = loop;
  while (ts.isLabeledStatement(loopStatement.parent)) loopStatement = loopStatement.parent;
  const list = siblingsOf(loopStatement);
  if (!list) return refuse('the loop is the body of another statement, not one of a block\'s statements, so the code after it cannot be followed');
  const after = list.slice(list.indexOf(loopStatement) + 1);
  const isClose = (s: ts.Statement) => {
    const e = ts.isExpressionStatement(s) ? skipOuter(s.expression) : undefined;
    if (descriptor) return !!e && ts.isCallExpression(e) && stats.includes(e) && isFsMember(ctx, e.expression, 'closeSync');
    const c = e && ts.isAwaitExpression(e) ? skipOuter(e.expression) : undefined;
    return !!c && ts.isCallExpression(c) && methodName(c) === 'close' && ts.isPropertyAccessExpression(c.expression) && bindingOf(ctx, c.expression.expression) === handle;
  };
  if (kind === 'stream') return loopToStream(ctx, { handle, descriptor, range, posName: posBinding?.name ?? '', loopStatement, target, deletions: declarationEdits });
  let end: ts.Statement | undefined;
  if (response) {
    end = after.find((s) => !isClose(s));
    const e = end && ts.isExpressionStatement(end) ? skipOuter(end.expression) : undefined;
    const endsIt = !!e && ts.isCallExpression(e) && methodName(e) === 'end' && e.arguments.length === 0 && ts.isPropertyAccessExpression(e.expression) && isTarget(ctx, target, e.expression.expression);
    if (!endsIt) refuse('the response is not ended right after the loop, and sendFile ends it');
  }

  // The head before the loop: a `writeHead` built it, so sendFile would stream after it; it becomes
  // statusCode and setHeader, and is built again on an early failure (where the loop's first read failed).
  const edits: OffsetEdit[] = [];
  const s = semi(ctx.style);
  const t = target.expr.getText(ctx.sf);
  let rebuild = false;
  for (const st of list.slice(0, list.indexOf(loopStatement))) {
    const e = ts.isExpressionStatement(st) ? skipOuter(st.expression) : undefined;
    const setsLength = e && ts.isCallExpression(e) && methodName(e) === 'setHeader' && literalText(e.arguments[0])?.toLowerCase() === 'content-length';
    if (setsLength && ts.isPropertyAccessExpression(e.expression) && isTarget(ctx, target, e.expression.expression) && !range.isLength(e.arguments[1]!)) {
      refuse('the code sets a Content-Length that is not the number of bytes the loop sends (the file\'s size, or the range\'s length); sendFile refuses a different one where the loop sent the bytes anyway');
    }
    if (!e || !ts.isCallExpression(e) || methodName(e) !== 'writeHead' || !ts.isPropertyAccessExpression(e.expression) || !isTarget(ctx, target, e.expression.expression)) continue;
    const head = analyseHead(ctx, undefined, target, [st], [], 'keep');
    if (head.names.has('content-length')) {
      const h = e.arguments[e.arguments.length - 1]!;
      const value = ts.isObjectLiteralExpression(skipOuter(h))
        ? (skipOuter(h) as ts.ObjectLiteralExpression).properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText(ctx.sf).replace(/['"]/g, '').toLowerCase() === 'content-length')
        : undefined;
      if (!value || !ts.isPropertyAssignment(value) || !range.isLength(value.initializer)) {
        refuse('the code sets a Content-Length that is not the number of bytes the loop sends (the file\'s size, or the range\'s length); sendFile refuses a different one where the loop sent the bytes anyway');
      }
    }
    const layout = layoutAt(ctx, st);
    edits.push({ start: st.getStart(ctx.sf), end: st.getEnd(), newText: head.lines.join(layout.nl + layout.indent) });
    rebuild = true;
  }

  const layout = layoutAt(ctx, loopStatement);
  const touched = response ? `${t}.headersSent` : `${t}.destroyed`;
  // A range that holds no byte of the file (it starts at or past the end, or ends before it
  // starts): the loop's first read returned nothing, or it never read, and the code after it ran;
  // sendFile refuses it before touching the target, so the handler does what that code did to the target.
  const nothingSent = (err: string) => [
    `if (${err}.code === 'ERR_ZEROCOPY_RANGE_NOT_SATISFIABLE' || ${err}.code === 'ERR_OUT_OF_RANGE') return${response ? ` ${t}.end()` : ''}${s}`,
  ];
  const handler = failureHandler(ctx, layout, { touched, undo: rebuild ? [`${t}.writeHead(${t}.statusCode)${s}`] : [], onFailure: { kind: 'rethrow' }, ...(ranged ? { first: nothingSent } : {}) });
  const imports = ctx.imports();
  const sendFile = imports.named('zerocopy', 'sendFile');
  if (!sync) {
    const options = rangeOptions(ctx, range, posBinding?.name ?? '');
    edits.push({ start: loopStatement.getStart(ctx.sf), end: loopStatement.getEnd(), newText: `await ${sendFile}(${t}, ${handle.name}${options}).catch(${handler})${s}` });
    if (end) edits.push(deleteStatement(ctx, end));
  } else {
    // The code after a synchronous loop ran once the file was written: it moves into the promise's
    // callback. Nothing else may follow it: the loop's statements are its function's last.
    const owner = enclosingFunction(loop);
    if (!owner || !owner.body || !ts.isBlock(owner.body) || owner.body.statements !== list) refuse('the loop is nested in a block of its function, so code after that block would run before the file is sent');
    if (!isRequestHandlerFunction(ctx, owner) && !isSocketListener(ctx, owner)) refuse("the loop's function is not a request handler: its caller would go on before the file is sent");
    const moved = after.filter((st) => st !== end);
    if (moved.some((st) => containsReturn(st))) refuse('the code after the loop returns a value, which would be returned from the promise\'s callback instead');
    const call = `${sendFile}(${t}, ${handle.name})`;
    const text = moved.length
      ? `${call}.then(() => {${layout.nl}${movedBranch(ctx, moved, layout.inner).join(layout.nl)}${layout.nl}${layout.indent}}, ${handler})${s}`
      : `${call}.catch(${handler})${s}`;
    edits.push({ start: loopStatement.getStart(ctx.sf), end: (after[after.length - 1] ?? loopStatement).getEnd(), newText: text });
  }
  edits.push(...declarationEdits());
  return { kind, title: kind === 'sendfile' ? SENDFILE_TITLE : RESPOND_WITH_FD_TITLE, edits, imports };
}

export const LOOP_STREAM_TITLE = "Stream the file with pipeline() from the handle's read stream (one chunk in memory at a time)";

/**
 * The stream alternative for a FileHandle's loop: the loop alone becomes the handle's read stream,
 * its first chunk awaited where the loop's first read was (so a directory throws EISDIR there, to
 * the same code, with the head as the loop left it), then piped to the target without ending it:
 * everything around the loop (the head, `end()`, `close()`) stays as written. A start at or past
 * the file's end is an empty stream, as the loop read nothing. Write failures were ignored by the
 * loop's writes: a failure once the target is destroyed is ignored too.
 */
function loopToStream(
  ctx: FixContext,
  o: { handle: Binding; descriptor: boolean; range: ReturnType<typeof loopRange>; posName: string; loopStatement: ts.Statement; target: Target; deletions: () => OffsetEdit[] },
): Rewrite {
  if (o.descriptor) refuse("the loop reads a descriptor; the stream alternative is offered for a FileHandle's loop (`fh.createReadStream()`), whose handle stays open for the code after it");
  if (o.range.end) refuse("createReadStream throws when a range ends before it starts, where the loop sent nothing: the stream alternative is offered for loops to the file's end");
  const s = semi(ctx.style);
  const t = o.target.expr.getText(ctx.sf);
  const imports = ctx.imports();
  const once = imports.named(nodeModule(ctx.style, 'events'), 'once');
  const pipeline = imports.named(nodeModule(ctx.style, 'stream/promises'), 'pipeline');
  const name = imports.freshName('fileStream');
  const start = o.range.start ? (o.range.keepPosition ? o.posName : o.range.start.getText(ctx.sf)) : undefined;
  const options = [...(start ? [start === 'start' ? 'start' : `start: ${start}`] : []), 'autoClose: false'].join(', ');
  const layout = layoutAt(ctx, o.loopStatement);
  const handler = failureHandler(ctx, layout, { touched: `${t}.destroyed`, undo: [], onFailure: { kind: 'rethrow' } });
  const lines = [
    `const ${name} = ${o.handle.name}.createReadStream({ ${options} })${s}`,
    `await ${once}(${name}, 'readable')${s}`,
    `await ${pipeline}(${name}, ${t}, { end: false }).catch(${handler})${s}`,
  ];
  const edits: OffsetEdit[] = [{ start: o.loopStatement.getStart(ctx.sf), end: o.loopStatement.getEnd(), newText: lines.join(layout.nl + layout.indent) }, ...o.deletions()];
  return { kind: 'stream', title: LOOP_STREAM_TITLE, edits, imports };
}
