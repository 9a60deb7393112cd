/**
 * From a finding to the code the benchmark runs: the function the sink comes into (the
 * "transfer function"), the positions on the bytes' path inside it, the expression that names the
 * file (bound to the generated file), and how a server calls the function. Positions only, so the
 * same anchors can be found again in a fix's rewrite of the text.
 */
import ts from 'typescript';
import type { Finding } from '../../engine/types';
import { contains, enclosingFunction, isFunctionLike, nodeAt, type BoundFile } from './program';
import { originOf } from './origins';
import type { ModuleGraph } from './modules';
import { declarationOf } from './references';
import { HANDLER_ARGS, registrationOf, type ServerKind } from './servers';

export interface Span {
  start: number;
  end: number;
}

export type Entry =
  /** The server calls the transfer function itself. */
  | { kind: 'direct' }
  /** The server calls a registered handler that calls the transfer function: that call, with the handler's parameters. */
  | { kind: 'call'; call: Span; caller: Span }
  /** No registration is visible: the sink is passed as the given parameter, the others are undefined. */
  | { kind: 'positional'; sinkIndex: number };

export interface Anchors {
  transferFile: string;
  transfer: Span;
  /** Inside the transfer function: the sink and the steps of the path; the slice keeps the way to each. */
  targets: Span[];
  fileExpression: { fileName: string } & Span;
  server: ServerKind;
  entry: Entry;
}

export type Located = { ok: true; anchors: Anchors } | { ok: false; reason: string };

const FS_MODULES = new Set(['fs', 'fs/promises', 'graceful-fs', 'fs-extra', 'fs-extra/esm', 'original-fs', 'mz/fs']);
const OPENERS = new Set(['open', 'openSync']);

export function locate(finding: Finding, graph: ModuleGraph): Located {
  if (finding.sink.kind === 'file') return refuse('the bytes go to another file; the benchmark measures transfers to sockets');
  if (finding.sink.transport === 'tls') return refuse('the sink is a TLS socket; the benchmark runs plain TCP on 127.0.0.1 and has no certificate for TLS');
  if (finding.sink.kind === 'http-request') return refuse('the sink is a request this code sends (an upload); the benchmark serves files to a client and does not run uploads');
  const sourceFile = graph.file(finding.fileName);
  if (!sourceFile) return refuse(`cannot read ${finding.fileName}`);
  const source = sourceCall(sourceFile, finding);
  if (!source) return refuse('cannot find the call that reads the file at the finding');
  const fileExpression = fileExpressionOf(sourceFile, source);
  if ('reason' in fileExpression) return refuse(fileExpression.reason);

  const sinkFile = graph.file(finding.sink.location.fileName);
  if (!sinkFile) return refuse(`cannot read ${finding.sink.location.fileName}`);
  const sinkNode = nodeAtRange(sinkFile, finding.sink.location.range);
  if (!sinkNode) return refuse('cannot find the sink in the code');
  const root = sinkRoot(sinkNode);
  if (!root) return refuse(`cannot tell which object \`${oneLineText(sinkFile, sinkNode)}\` sends to`);
  const param = parameterOf(sinkFile, root);
  if (!param) {
    return refuse(`\`${root.text}\`, the sink, is made by this code (not handed to it by a server), so the benchmark cannot bind it to one`);
  }
  const transfer = param.fn;

  const targets: Span[] = [span(sinkFile, sinkNode)];
  for (const step of finding.steps) {
    if (step.location.fileName !== sinkFile.fileName) continue;
    const node = nodeAtRange(sinkFile, step.location.range);
    if (node && contains(transfer, node)) targets.push(span(sinkFile, node));
  }
  if (sourceFile === sinkFile && !contains(transfer, source) && !calledFrom(sinkFile, transfer, source)) {
    return refuse(`the bytes come into \`${functionName(transfer)}\` from its caller; the benchmark needs the read and the send in one function (or the read in a function it calls)`);
  }

  const registration = registrationOf(sinkFile, transfer);
  if (registration?.kind === 'tls') return refuse('the handler is registered on a TLS server; the benchmark runs plain TCP on 127.0.0.1 and has no certificate for TLS');
  let server: ServerKind | undefined = registration?.kind;
  let entry: Entry = { kind: 'direct' };
  if (server && HANDLER_ARGS[server].length <= param.index) return refuse(`\`${root.text}\` is not an argument the server passes to its handler`);
  if (!server) {
    const viaCaller = registeredCaller(sinkFile, transfer);
    if (viaCaller?.kind === 'tls') return refuse('the function is called from a handler of a TLS server; the benchmark runs plain TCP on 127.0.0.1 and has no certificate for TLS');
    if (viaCaller) {
      server = viaCaller.kind;
      entry = { kind: 'call', call: span(sinkFile, viaCaller.call), caller: span(sinkFile, viaCaller.caller) };
    }
  }
  if (!server) {
    server = serverForSink(finding, sinkFile, sinkNode);
    if (!server) return refuse(`cannot tell which server \`${functionName(transfer)}\` runs on (it is not registered as a handler in ${shortName(sinkFile.fileName)})`);
    entry = { kind: 'positional', sinkIndex: param.index };
  }
  return {
    ok: true,
    anchors: {
      transferFile: sinkFile.fileName,
      transfer: span(sinkFile, transfer),
      targets,
      fileExpression: { fileName: sourceFile.fileName, ...span(sourceFile, fileExpression.node) },
      server,
      entry,
    },
  };
}

function refuse(reason: string): Located {
  return { ok: false, reason };
}

function span(file: BoundFile, node: ts.Node): Span {
  return { start: node.getStart(file.sourceFile), end: node.getEnd() };
}

function nodeAtRange(file: BoundFile, range: Finding['range']): ts.Node | undefined {
  const start = file.sourceFile.getPositionOfLineAndCharacter(range.start.line, range.start.character);
  const end = file.sourceFile.getPositionOfLineAndCharacter(range.end.line, range.end.character);
  return nodeAt(file.sourceFile, start, end);
}

/** The call (or `new`) whose callee the finding points at. */
function sourceCall(file: BoundFile, finding: Finding): ts.CallExpression | ts.NewExpression | undefined {
  const callee = nodeAtRange(file, finding.range);
  for (let n: ts.Node | undefined = callee; callee && n && !ts.isSourceFile(n) && !isFunctionLike(n); n = n.parent) {
    if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && contains(n.expression, callee)) return n;
  }
  return undefined;
}

/** The expression naming the file a read call reads: its path argument, or what an fd/FileHandle was opened on. */
function fileExpressionOf(file: BoundFile, call: ts.CallExpression | ts.NewExpression): { node: ts.Expression } | { reason: string } {
  const callee = call.expression;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  const args = call.arguments ?? ts.factory.createNodeArray();
  const onFs = isFsFunction(file, callee);
  if (onFs) {
    const first = args[0];
    if (!first) return { reason: `\`${callee.getText(file.sourceFile)}\` is called without a file` };
    if (name === 'read' || name === 'readSync') return openedFile(file, first);
    return { node: first };
  }
  // A FileHandle method: the handle was opened on the file.
  if (ts.isPropertyAccessExpression(callee)) return openedFile(file, callee.expression);
  return { reason: `cannot tell which file \`${callee.getText(file.sourceFile)}\` reads` };
}

function isFsFunction(file: BoundFile, callee: ts.Expression): boolean {
  const origin = originOf(file, callee);
  if (origin && FS_MODULES.has(origin.module)) return true;
  // util.promisify(fs.readFile)
  if (ts.isIdentifier(callee)) {
    const decl = declarationOf(file.checker.getSymbolAtLocation(callee));
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isCallExpression(decl.initializer)) {
      const promisify = originOf(file, decl.initializer.expression);
      const wrapped = decl.initializer.arguments[0];
      if (promisify?.module === 'util' && promisify.path.join('.') === 'promisify' && wrapped) return isFsFunction(file, wrapped);
    }
  }
  return false;
}

/** What file a descriptor or FileHandle expression was opened on: `const fh = await open(f)`, `fs.open(f, (err, fd) => …)`. */
function openedFile(file: BoundFile, handle: ts.Expression): { node: ts.Expression } | { reason: string } {
  const cannot = { reason: `cannot tell which file \`${handle.getText(file.sourceFile)}\` was opened on` };
  if (!ts.isIdentifier(handle)) return cannot;
  const decl = declarationOf(file.checker.getSymbolAtLocation(handle));
  if (!decl) return cannot;
  if (ts.isVariableDeclaration(decl) && decl.initializer) {
    let init: ts.Expression = decl.initializer;
    while (ts.isAwaitExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
    if (ts.isCallExpression(init) && isOpener(file, init.expression) && init.arguments[0]) return { node: init.arguments[0] };
    return cannot;
  }
  // The callback of fs.open(file, flags?, (err, fd) => …)
  if (ts.isParameter(decl) && isFunctionLike(decl.parent)) {
    let fn: ts.Node = decl.parent;
    while (ts.isParenthesizedExpression(fn.parent)) fn = fn.parent;
    const call = fn.parent;
    if (ts.isCallExpression(call) && call.arguments.at(-1) === fn && isOpener(file, call.expression) && call.arguments[0]) return { node: call.arguments[0] };
  }
  return cannot;
}

function isOpener(file: BoundFile, callee: ts.Expression): boolean {
  const origin = originOf(file, callee);
  return origin !== undefined && FS_MODULES.has(origin.module) && OPENERS.has(origin.path.at(-1) ?? '');
}

/** The object a sink expression sends to: `res` of `res.end(x)`, `res.type('a').send(x)`, `a.pipe(res)`, `ctx.body = x`, `pipeline(a, res, cb)`. */
function sinkRoot(node: ts.Node): ts.Identifier | undefined {
  let e: ts.Node = node;
  if (ts.isExpressionStatement(e)) e = e.expression;
  while (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e) || ts.isReturnStatement(e)) e = (e as { expression: ts.Node }).expression;
  let target: ts.Expression | undefined;
  if (ts.isCallExpression(e)) {
    const callee = e.expression;
    if (ts.isPropertyAccessExpression(callee)) target = callee.name.text === 'pipe' ? e.arguments[0] : callee.expression;
    else {
      const writable = e.arguments.filter((a) => !ts.isFunctionLike(a) && !ts.isObjectLiteralExpression(a));
      target = writable.at(-1);
    }
  } else if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(e.left)) {
    target = e.left.expression;
  }
  for (let t = target; t; ) {
    if (ts.isIdentifier(t)) return t;
    if (ts.isPropertyAccessExpression(t) || ts.isElementAccessExpression(t) || ts.isParenthesizedExpression(t) || ts.isNonNullExpression(t) || ts.isAsExpression(t)) t = t.expression;
    else if (ts.isCallExpression(t)) t = t.expression;
    else return undefined;
  }
  return undefined;
}

/** The function and position of the parameter `id` refers to, following `const r = ctx.res`-style aliases. */
function parameterOf(file: BoundFile, id: ts.Identifier, depth = 0): { fn: ts.FunctionLikeDeclaration; index: number } | undefined {
  const decl = declarationOf(file.checker.getSymbolAtLocation(id));
  if (!decl || depth > 4) return undefined;
  if (ts.isParameter(decl) && isFunctionLike(decl.parent)) return { fn: decl.parent, index: decl.parent.parameters.indexOf(decl) };
  if (ts.isVariableDeclaration(decl) && decl.initializer) {
    let e: ts.Expression = decl.initializer;
    while (ts.isPropertyAccessExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
    if (ts.isIdentifier(e)) return parameterOf(file, e, depth + 1);
  }
  return undefined;
}

/** Whether the source call sits in a function that `transfer` calls by name (a helper of the same file). */
function calledFrom(file: BoundFile, transfer: ts.FunctionLikeDeclaration, source: ts.Node): boolean {
  const helper = enclosingFunction(source);
  const name = helper && ts.isFunctionDeclaration(helper) ? helper.name : undefined;
  if (!name) return false;
  const symbol = file.checker.getSymbolAtLocation(name);
  let called = false;
  const visit = (n: ts.Node): void => {
    if (called) return;
    if (ts.isIdentifier(n) && n.text === name.text && file.checker.getSymbolAtLocation(n) === symbol) called = true;
    n.forEachChild(visit);
  };
  transfer.forEachChild(visit);
  return called;
}

/** A handler registered on a server that calls `transfer` with its own parameters: `if (…) return sendFavicon(res)`. */
function registeredCaller(file: BoundFile, transfer: ts.FunctionLikeDeclaration): { kind: ServerKind | 'tls'; call: ts.CallExpression; caller: ts.FunctionLikeDeclaration } | undefined {
  const name = ts.isFunctionDeclaration(transfer) ? transfer.name : ts.isVariableDeclaration(transfer.parent) && ts.isIdentifier(transfer.parent.name) ? transfer.parent.name : undefined;
  if (!name) return undefined;
  const symbol = file.checker.getSymbolAtLocation(name);
  let found: { kind: ServerKind | 'tls'; call: ts.CallExpression; caller: ts.FunctionLikeDeclaration } | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name.text && file.checker.getSymbolAtLocation(n.expression) === symbol) {
      const caller = enclosingFunction(n);
      const registration = caller && registrationOf(file, caller);
      if (caller && registration) found = { kind: registration.kind, call: n, caller };
    }
    n.forEachChild(visit);
  };
  visit(file.sourceFile);
  return found;
}

/** Without a visible registration: the server the sink's kind implies (`ctx.body =` is koa's, `reply.send` fastify's). */
function serverForSink(finding: Finding, file: BoundFile, sinkNode: ts.Node): ServerKind | undefined {
  switch (finding.sink.kind) {
    case 'http-response':
      return 'http';
    case 'socket':
      return 'net';
    case 'http2-stream':
      return 'http2';
    case 'framework-body': {
      const text = sinkNode.getText(file.sourceFile);
      if (/\.body\s*=/.test(text)) return 'koa';
      if (/\.send\s*\(/.test(text)) return 'fastify';
      return undefined;
    }
    default:
      return undefined;
  }
}

function functionName(fn: ts.FunctionLikeDeclaration): string {
  const name = (fn as { name?: ts.Node }).name;
  if (name && ts.isIdentifier(name)) return name.text;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return 'the handler';
}

function oneLineText(file: BoundFile, node: ts.Node): string {
  return node.getText(file.sourceFile).replace(/\s+/g, ' ').slice(0, 60);
}

function shortName(fileName: string): string {
  return fileName.split(/[\\/]/).slice(-2).join('/');
}
