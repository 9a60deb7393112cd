/**
 * A whole-file read and the code around it, in one of the shapes a rewrite can keep exact:
 *
 *   callback   fs.readFile(path[, enc], (err, data) => { if (err) ERR; HEAD…; send(data) })
 *   await      const data = await fsp.readFile(path[, enc]); HEAD…; send(data)
 *              send(await fsp.readFile(path))
 *   sync       const data = fs.readFileSync(path[, enc]); HEAD…; send(data)
 *
 * Anything else (the bytes used besides being sent, code after the send, options that change the
 * read) is no fix.
 */
import ts from 'typescript';
import { skipOuter, type Binding } from '../engine/scope';
import type { FixContext } from './context';
import { alwaysExits, enclosingFunction, inside, isFunctionNode, lineOf, literalText, quote, siblingsOf, statementOf, type FunctionNode } from './ast';
import { expressionStatementOf, splitOnError, type Completion } from './completion';
import { refuse } from './refuse';

export type ReadForm = 'callback' | 'await' | 'sync';

export interface WholeRead {
  form: ReadForm;
  /** Which fs API: `readFile` (callback or promise) or `readFileSync`. */
  api: string;
  call: ts.CallExpression;
  path: ts.Expression;
  /** The text encoding the read decodes with; undefined: a Buffer. */
  encoding: string | undefined;
  /** The statement the rewrite replaces (the read's own statement, through the send). */
  statement: ts.Statement;
  /** Was it `return fs.readFile(…)`? */
  returned: boolean;
  /** The name that holds the bytes; undefined when the read is written straight into the send. */
  data?: ts.Identifier;
  dataBinding?: Binding;
  /** `let data; try { data = read(p) } catch …`: the declaration and the try (the catch is the error branch). */
  assigned?: { declaration: ts.VariableStatement; tryStatement: ts.TryStatement; assignment: ts.BinaryExpression };
  /** The read's chain is this arrow function's expression body (the rewrite gives it a block). */
  arrowBody?: ts.ArrowFunction;
  /** A promise read with no rejection handler: its rejection reaches no one (the process reports it). */
  unhandled?: boolean;
  /** callback form: the callback and its error split. */
  callback?: FunctionNode;
  errParam?: ts.Identifier;
  completion?: Completion;
  /** The statements from the read (exclusive) through the send (inclusive), in order. */
  region: readonly ts.Statement[];
  /** The statement holding the send, the last of `region` (or the read's own, written straight in). */
  sendStatement: ts.Statement;
  /** Statements after the send in the same list that the rewrite keeps as they are (a bare `return`). */
  tail: readonly ts.Statement[];
}

const WHOLE_READS = new Set(['readFile', 'readFileSync']);

/** The fs function a callee is, per the engine: name and flavour (`fs.readFile`: readFile, callback). */
export function fsFunction(ctx: FixContext, callee: ts.Expression): { name: string; flavor: string } | undefined {
  for (const v of ctx.ev.eval(callee)) if (v.t === 'fsfn') return { name: v.name, flavor: v.flavor };
  return undefined;
}

/** The encoding an fs read's options give: undefined for a Buffer. No fix for options that change the read. */
export function readEncoding(ctx: FixContext, options: ts.Expression | undefined, whose = "the read's"): string | undefined {
  if (!options) return undefined;
  const o = skipOuter(options);
  if (o.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(o) && o.text === 'undefined')) return undefined;
  const lit = literalText(o);
  if (lit !== undefined) return lit.toLowerCase();
  if (ts.isObjectLiteralExpression(o)) {
    let encoding: string | undefined;
    for (const p of o.properties) {
      const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
      const value = ts.isPropertyAssignment(p) ? literalText(p.initializer) : undefined;
      if (name === 'encoding' && ts.isPropertyAssignment(p) && (value !== undefined || skipOuter(p.initializer).kind === ts.SyntaxKind.NullKeyword)) encoding = value?.toLowerCase();
      else if (name === 'flag' && value === 'r') continue;
      else refuse(`${whose} option ${quote(ctx.sf, p)} would be lost`);
    }
    return encoding;
  }
  return refuse(`${whose} options ${quote(ctx.sf, o)} are not written out, so what ${whose === "the read's" ? 'the read decodes' : 'they do'} cannot be known`);
}

export function wholeRead(ctx: FixContext): WholeRead {
  const call = ctx.source;
  if (!ts.isCallExpression(call)) refuse('the read is a `new` expression');
  const fn = fsFunction(ctx, call.expression);
  if (!fn || !WHOLE_READS.has(fn.name)) refuse(`${quote(ctx.sf, call.expression)} is not \`readFile\` or \`readFileSync\``);
  if (fn.flavor === 'handle') refuse('the file is read through a FileHandle, whose position the read depends on');
  const args = call.arguments;
  if (args.some((a) => ts.isSpreadElement(a))) refuse('the read takes spread arguments');
  const path = args[0];
  if (!path) refuse('the read has no path');
  const last = args[args.length - 1];
  const lastIsFunction = last !== undefined && (ts.isArrowFunction(skipOuter(last)) || ts.isFunctionExpression(skipOuter(last)));
  if (fn.name === 'readFile' && fn.flavor === 'cb' && args.length >= 2 && (lastIsFunction || !isAwaited(call))) {
    return callbackRead(ctx, call, path, fn.name);
  }
  const encoding = readEncoding(ctx, args[1]);
  if (args.length > 2) refuse('the read takes more arguments than a path and options');
  if (fn.name === 'readFileSync') return declaredRead(ctx, call, call, path, encoding, 'sync', fn.name);
  const awaited = call.parent && ts.isAwaitExpression(skipParens(call.parent)) ? (skipParens(call.parent) as ts.AwaitExpression) : undefined;
  if (awaited) return declaredRead(ctx, call, awaited, path, encoding, 'await', fn.name);
  return thenRead(ctx, call, path, encoding, fn.name);
}

/**
 * `read(path).then((data) => { HEAD; send(data) }[, (err) => ERR])[.catch((err) => ERR)]` as a
 * statement: the same split as a callback.
 */
function thenRead(ctx: FixContext, call: ts.CallExpression, path: ts.Expression, encoding: string | undefined, api: string): WholeRead {
  const thenAccess = skipParens(call.parent!);
  if (!ts.isPropertyAccessExpression(thenAccess) || thenAccess.name.text !== 'then' || !ts.isCallExpression(thenAccess.parent) || thenAccess.parent.expression !== thenAccess) {
    refuse('the promise of the read is neither awaited nor followed by `.then` where it is made');
  }
  const thenCall = thenAccess.parent;
  const [onData, onError] = thenCall.arguments;
  let outer: ts.CallExpression = thenCall;
  let errorFn = onError;
  const afterThen = skipParens(thenCall.parent);
  if (ts.isPropertyAccessExpression(afterThen) && afterThen.name.text === 'catch' && ts.isCallExpression(afterThen.parent) && afterThen.parent.expression === afterThen) {
    if (onError) refuse('the read has both a rejection handler and a `.catch`');
    outer = afterThen.parent;
    errorFn = outer.arguments[0];
  }
  let statement = statementOf(call);
  // `(req, res) => read(p).then(…).catch(…)`: the chain is the arrow's whole body.
  let arrowBody: ts.ArrowFunction | undefined;
  let bodyOf: ts.Node = outer;
  while (bodyOf.parent && ts.isParenthesizedExpression(bodyOf.parent)) bodyOf = bodyOf.parent;
  if (!statement && ts.isArrowFunction(bodyOf.parent) && bodyOf.parent.body === bodyOf) {
    arrowBody = bodyOf.parent;
    statement = expressionStatementOf(bodyOf as ts.Expression);
  }
  const top = statement && (ts.isExpressionStatement(statement) || ts.isReturnStatement(statement)) && statement.expression ? skipOuter(statement.expression) : undefined;
  if (!statement || top !== outer) refuse('the read\'s promise chain goes on after `.then`/`.catch`, or is part of a larger expression');
  const cb = onData && skipOuter(onData);
  if (!cb || (!ts.isArrowFunction(cb) && !ts.isFunctionExpression(cb))) refuse('the `.then` callback is not written here');
  const [dataP, ...more] = cb.parameters;
  if (!dataP || more.length || !ts.isIdentifier(dataP.name)) refuse('the `.then` callback does not take the bytes as one plain name');
  let error: readonly ts.Statement[] = [];
  let errParam: ts.Identifier | undefined;
  let errorCallback: FunctionNode | undefined;
  if (errorFn) {
    const ef = skipOuter(errorFn);
    if (!ts.isArrowFunction(ef) && !ts.isFunctionExpression(ef)) refuse(`the rejection handler ${quote(ctx.sf, errorFn)} is not written here`);
    const [p, ...rest] = ef.parameters;
    if (rest.length || (p && !ts.isIdentifier(p.name))) refuse('the rejection handler does not take the error as one plain name');
    errParam = p && ts.isIdentifier(p.name) ? p.name : undefined;
    errorCallback = ef;
    error = ts.isBlock(ef.body) ? ef.body.statements : [expressionStatementOf(ef.body)];
  }
  let success: readonly ts.Statement[];
  if (ts.isBlock(cb.body)) success = cb.body.statements;
  else {
    // `(data) => res.end(data)`: the body is the send.
    if (!ctx.sink || skipOuter(cb.body) !== ctx.sink) refuse('the `.then` callback\'s expression is not the send');
    success = [expressionStatementOf(cb.body)];
  }
  const { region, tail } = ts.isBlock(cb.body) ? regionUpToSend(ctx, success, 'the `.then` callback') : { region: [...success], tail: [] };
  return {
    form: 'callback',
    api,
    call,
    path,
    encoding,
    statement,
    returned: ts.isReturnStatement(statement),
    data: dataP.name,
    dataBinding: ctx.ev.scopes.declaredBy(dataP.name),
    callback: errorCallback ?? cb,
    errParam,
    completion: { error, success, test: undefined },
    unhandled: !errorFn,
    ...(arrowBody ? { arrowBody } : {}),
    region,
    sendStatement: region[region.length - 1]!,
    tail,
  };
}

function skipParens(n: ts.Node): ts.Node {
  while (ts.isParenthesizedExpression(n) && n.parent) n = n.parent;
  return n;
}

function isAwaited(call: ts.CallExpression): boolean {
  return call.parent !== undefined && ts.isAwaitExpression(skipParens(call.parent));
}

function callbackRead(ctx: FixContext, call: ts.CallExpression, path: ts.Expression, api: string): WholeRead {
  const args = call.arguments;
  const cb = skipOuter(args[args.length - 1]!);
  if (!ts.isArrowFunction(cb) && !ts.isFunctionExpression(cb)) refuse(`the read's callback ${quote(ctx.sf, cb)} is not written here`);
  const encoding = readEncoding(ctx, args.length === 3 ? args[1] : undefined);
  if (args.length > 3) refuse('the read takes more arguments than a path, options and a callback');
  const [errP, dataP] = cb.parameters;
  if (!errP || !dataP || !ts.isIdentifier(errP.name) || !ts.isIdentifier(dataP.name) || cb.parameters.length > 2) {
    refuse('the read\'s callback does not take `(err, data)` as two plain names');
  }
  const statement = statementOf(call);
  const expressionOfStatement = statement && (ts.isExpressionStatement(statement) || ts.isReturnStatement(statement)) ? statement.expression && skipOuter(statement.expression) : undefined;
  if (!statement || expressionOfStatement !== call) refuse('the read is part of a larger expression');
  const returned = ts.isReturnStatement(statement);
  const completion = splitOnError(ctx, cb, errP.name, "the read's callback");
  const dataBinding = ctx.ev.scopes.declaredBy(dataP.name);
  const { region, tail } = regionUpToSend(ctx, completion.success, 'the callback');
  return {
    form: 'callback',
    api,
    call,
    path,
    encoding,
    statement,
    returned,
    data: dataP.name,
    dataBinding,
    callback: cb,
    errParam: errP.name,
    completion,
    region,
    sendStatement: region[region.length - 1]!,
    tail,
  };
}

/**
 * `const data = await read(…)` (or sync) followed by the send in the same statement list, or the
 * read written straight into the send (`res.end(await read(…))`, `ctx.body = await read(…)`).
 */
function declaredRead(ctx: FixContext, call: ts.CallExpression, readExpr: ts.Expression, path: ts.Expression, encoding: string | undefined, form: ReadForm, api: string): WholeRead {
  const parent = skipParens(readExpr.parent!);
  const statement = statementOf(readExpr);
  if (!statement) refuse('the read is not in a statement of its own function');
  if (ts.isVariableDeclaration(parent) && parent.initializer && skipOuter(parent.initializer) === readExpr) {
    if (!ts.isIdentifier(parent.name)) refuse('the bytes are destructured');
    const list = parent.parent;
    if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1 || !ts.isVariableStatement(list.parent)) refuse('the read is one of several declarations in one statement');
    const siblings = siblingsOf(statement);
    if (!siblings) refuse('the read is not in a block');
    const after = siblings.slice(siblings.indexOf(statement) + 1);
    const { region, tail } = regionUpToSend(ctx, after, 'the function');
    return { form, api, call, path, encoding, statement, returned: false, data: parent.name, dataBinding: ctx.ev.scopes.declaredBy(parent.name), region, sendStatement: region[region.length - 1]!, tail };
  }
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && skipOuter(parent.right) === readExpr && ts.isIdentifier(skipOuter(parent.left))) {
    return assignedRead(ctx, call, parent, statement, path, encoding, form, api);
  }
  // Written straight into the send: the statement is the send.
  const sink = ctx.sink;
  if (!sink || !inside(readExpr, sink)) refuse(`the read's result is not stored in a name, nor written straight into the send`);
  const siblings = siblingsOf(statement);
  const tail = siblings ? siblings.slice(siblings.indexOf(statement) + 1) : [];
  return { form, api, call, path, encoding, statement, returned: false, region: [statement], sendStatement: statement, tail };
}

/**
 * `let data; try { data = read(p); } catch (e) { ERR; return; } HEAD; send(data)`: the read alone
 * in a `try` whose `catch` leaves; the send after the `try`. The catch is the error branch.
 */
function assignedRead(ctx: FixContext, call: ts.CallExpression, assignment: ts.BinaryExpression, statement: ts.Statement, path: ts.Expression, encoding: string | undefined, form: ReadForm, api: string): WholeRead {
  const target = skipOuter(assignment.left);
  if (!ts.isIdentifier(target) || !ts.isExpressionStatement(statement) || skipOuter(statement.expression) !== assignment) refuse('the bytes are assigned inside a larger expression');
  const b = ctx.ev.scopes.resolve(target);
  const tryBlock = statement.parent;
  const tryStatement = tryBlock.parent;
  if (!ts.isBlock(tryBlock) || !ts.isTryStatement(tryStatement) || tryStatement.tryBlock !== tryBlock || tryBlock.statements.length !== 1 || !tryStatement.catchClause || tryStatement.finallyBlock) {
    refuse('the bytes are assigned to a name declared elsewhere, outside a `try` of their own');
  }
  if (!alwaysExits(tryStatement.catchClause.block)) refuse('the `catch` around the read does not leave, so the code after it also runs on error');
  const decl = b && ts.isVariableDeclaration(b.decl) && ts.isVariableDeclarationList(b.decl.parent) ? b.decl : undefined;
  const declList = decl?.parent as ts.VariableDeclarationList | undefined;
  const declStatement = declList?.parent;
  const list = siblingsOf(tryStatement);
  if (!b || !decl || !declStatement || !ts.isVariableStatement(declStatement) || declList!.declarations.length !== 1 || (decl.initializer && decl.initializer.kind !== ts.SyntaxKind.NullKeyword) || !list || !list.includes(declStatement) || list.indexOf(declStatement) > list.indexOf(tryStatement)) {
    refuse(`\`${target.text}\` is not declared, without a value, just for the bytes`);
  }
  if (ctx.ev.scopes.assignmentsOf(b).length !== 1) refuse(`\`${target.text}\` is assigned more than once`);
  const after = list.slice(list.indexOf(tryStatement) + 1);
  const { region, tail } = regionUpToSend(ctx, after, 'the function');
  const v = tryStatement.catchClause.variableDeclaration;
  return {
    form,
    api,
    call,
    path,
    encoding,
    statement: tryStatement,
    returned: false,
    data: target,
    dataBinding: b,
    assigned: { declaration: declStatement, tryStatement, assignment },
    errParam: v && ts.isIdentifier(v.name) ? v.name : undefined,
    region,
    sendStatement: region[region.length - 1]!,
    tail,
  };
}

/**
 * The statements of `list` up to and including the one holding the sink; after it only a bare
 * `return` may follow. No fix when the send is elsewhere (nested, or in another function).
 */
function regionUpToSend(ctx: FixContext, list: readonly ts.Statement[], where: string): { region: ts.Statement[]; tail: ts.Statement[] } {
  const sink = ctx.sink;
  if (!sink) refuse(ctx.noSink());
  const index = list.findIndex((s) => inside(sink, s));
  if (index < 0) {
    const fnOfSink = enclosingFunction(sink);
    refuse(`the bytes are sent at line ${lineOf(ctx.sf, sink)}, ${fnOfSink && !list.some((s) => inside(fnOfSink, s)) ? 'outside' : 'not directly in'} ${where} that reads them`);
  }
  const sendStatement = list[index]!;
  const holder = statementOf(sink);
  if (holder !== sendStatement) refuse(`the send ${quote(ctx.sf, sink)} is nested inside ${quote(ctx.sf, sendStatement, 40)}: it may not run on every path`);
  return { region: list.slice(0, index + 1), tail: list.slice(index + 1) };
}

/**
 * What may follow the send in its statement list: nothing, a bare `return`, or (`ends`) the one
 * statement that ends the target after a `write` (`res.end()`), which the rewrite takes in.
 * Returns how many statements of the tail the rewrite replaces.
 */
export function checkTail(ctx: FixContext, tail: readonly ts.Statement[], ends?: (s: ts.Statement) => boolean): number {
  let taken = 0;
  if (ends && tail[0] && ends(tail[0])) taken = 1;
  const rest = tail.slice(taken);
  if (rest.length === 0) return taken;
  if (rest.length === 1 && ts.isReturnStatement(rest[0]!) && !rest[0]!.expression) return taken;
  return refuse(`${quote(ctx.sf, rest[0]!)} runs after the send; the rewrite would run it before the file has gone out`);
}

export { alwaysExits, isFunctionNode };
