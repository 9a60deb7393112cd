/**
 * Which bytes of a file a read loop sends (kinds/readLoop.ts): from its position's first value to
 * the bound of its condition, each read cut at that bound. The range becomes sendFile's `{ start,
 * end }` (`end` inclusive, as in `fs.createReadStream`):
 *
 *   let pos = start;                     (any number; `0` or `null` as the read's position: byte 0)
 *   while (pos <= end)                   -> { start, end }
 *     … read(buf, 0, Math.min(buf.length, end - pos + 1), pos) …
 *   while (pos < limit)                  -> { start, end: limit - 1 }
 *     … read(buf, 0, Math.min(buf.length, limit - pos), pos) …
 *   for (;;) / while (true) / while (pos < size)   -> { start } (to the file's end)
 *     … read(buf, 0, buf.length, pos) …
 *
 * The bound is evaluated once by sendFile where the loop evaluated it before every read: it must
 * be a value nothing can change while the loop runs (constants, bindings never assigned again,
 * their properties, arithmetic and Math.min/max of those).
 */
import ts from 'typescript';
import { skipOuter, type Binding } from '../engine/scope';
import type { FixContext } from './context';
import { quote } from './ast';
import { refuse } from './refuse';

/** The binding an expression names, if it is a plain identifier. */
export function bindingOf(ctx: FixContext, e: ts.Expression | undefined): Binding | undefined {
  const x = e && skipOuter(e);
  return x && ts.isIdentifier(x) ? ctx.ev.scopes.resolve(x) : undefined;
}

/** Whether two expressions compute the same value from the same bindings (structurally). */
export function sameValue(ctx: FixContext, a: ts.Expression, b: ts.Expression): boolean {
  const x = skipOuter(a);
  const y = skipOuter(b);
  if (ts.isIdentifier(x) || ts.isIdentifier(y)) {
    if (!ts.isIdentifier(x) || !ts.isIdentifier(y) || x.text !== y.text) return false;
    return ctx.ev.scopes.resolve(x) === ctx.ev.scopes.resolve(y);
  }
  if (ts.isNumericLiteral(x) && ts.isNumericLiteral(y)) return Number(x.text) === Number(y.text);
  if (ts.isPropertyAccessExpression(x) && ts.isPropertyAccessExpression(y)) return x.name.text === y.name.text && sameValue(ctx, x.expression, y.expression);
  if (ts.isBinaryExpression(x) && ts.isBinaryExpression(y)) return x.operatorToken.kind === y.operatorToken.kind && sameValue(ctx, x.left, y.left) && sameValue(ctx, x.right, y.right);
  if (ts.isCallExpression(x) && ts.isCallExpression(y)) {
    return isMathCall(ctx, x) && isMathCall(ctx, y) && x.expression.getText(ctx.sf) === y.expression.getText(ctx.sf) && x.arguments.length === y.arguments.length && x.arguments.every((e, i) => sameValue(ctx, e, y.arguments[i]!));
  }
  return false;
}

/** `Math.min(…)` / `Math.max(…)` of the global Math. */
function isMathCall(ctx: FixContext, c: ts.CallExpression, names = ['min', 'max']): boolean {
  const callee = skipOuter(c.expression);
  return ts.isPropertyAccessExpression(callee) && names.includes(callee.name.text) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Math' && !ctx.ev.scopes.resolve(callee.expression);
}

/** Whether a binding keeps its first value: a const, or a let, var or parameter never assigned again. */
function neverReassigned(ctx: FixContext, b: Binding): boolean {
  if (b.kind === 'const' || b.kind === 'import') return true;
  if (b.kind !== 'let' && b.kind !== 'var' && b.kind !== 'param') return false;
  if (ctx.ev.scopes.assignmentsOf(b).length > 0) return false;
  // `x++`, `--x` are not among the assignments.
  return ctx.ev.scopes.refsOf(b).every((ref) => {
    const p = ref.parent;
    return !((ts.isPostfixUnaryExpression(p) || ts.isPrefixUnaryExpression(p)) && (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken));
  });
}

/** Whether `e` gives the same value wherever it is evaluated in its function (see the file's comment). */
export function isStable(ctx: FixContext, e: ts.Expression, excluded: readonly (Binding | undefined)[], depth = 0): boolean {
  if (depth > 12) return false;
  const x = skipOuter(e);
  if (ts.isNumericLiteral(x)) return true;
  if (ts.isIdentifier(x)) {
    const b = ctx.ev.scopes.resolve(x);
    return !!b && !excluded.includes(b) && neverReassigned(ctx, b);
  }
  if (ts.isPropertyAccessExpression(x)) return isStable(ctx, x.expression, excluded, depth + 1);
  if (ts.isPrefixUnaryExpression(x)) return (x.operator === ts.SyntaxKind.MinusToken || x.operator === ts.SyntaxKind.PlusToken) && isStable(ctx, x.operand, excluded, depth + 1);
  if (ts.isBinaryExpression(x)) {
    const arithmetic = [ts.SyntaxKind.PlusToken, ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken, ts.SyntaxKind.PercentToken];
    return arithmetic.includes(x.operatorToken.kind) && isStable(ctx, x.left, excluded, depth + 1) && isStable(ctx, x.right, excluded, depth + 1);
  }
  if (ts.isCallExpression(x)) return isMathCall(ctx, x) && x.arguments.every((a) => !ts.isSpreadElement(a) && isStable(ctx, a, excluded, depth + 1));
  return false;
}

const isOp = (e: ts.Expression, op: ts.SyntaxKind): e is ts.BinaryExpression => ts.isBinaryExpression(e) && e.operatorToken.kind === op;
const isOne = (e: ts.Expression) => ts.isNumericLiteral(skipOuter(e)) && Number((skipOuter(e) as ts.NumericLiteral).text) === 1;

/** `a - b + 1`, `a + 1 - b` or `1 + a - b`: the count of the bytes from b to a inclusive. */
function isInclusiveCount(ctx: FixContext, e: ts.Expression, a: (x: ts.Expression) => boolean, b: (x: ts.Expression) => boolean): boolean {
  const x = skipOuter(e);
  if (isOp(x, ts.SyntaxKind.PlusToken) && isOne(x.right)) {
    const d = skipOuter(x.left);
    return isOp(d, ts.SyntaxKind.MinusToken) && a(d.left) && b(d.right);
  }
  if (isOp(x, ts.SyntaxKind.MinusToken) && b(x.right)) {
    const s = skipOuter(x.left);
    return isOp(s, ts.SyntaxKind.PlusToken) && ((a(s.left) && isOne(s.right)) || (isOne(s.left) && a(s.right)));
  }
  return false;
}

/** `a - b`. */
function isDifference(e: ts.Expression, a: (x: ts.Expression) => boolean, b: (x: ts.Expression) => boolean): boolean {
  const x = skipOuter(e);
  return isOp(x, ts.SyntaxKind.MinusToken) && a(x.left) && b(x.right);
}

export interface LoopRange {
  /** The start to send from (undefined: byte 0). */
  start?: ts.Expression;
  /** The bound of the loop's condition and how it bounds (undefined: to the file's end). */
  end?: { bound: ts.Expression; inclusive: boolean };
  /** Whether the position's declaration stays (its first value cannot move to the loop's place): sendFile reads the position then. */
  keepPosition: boolean;
  /** Whether `e` is the number of bytes the loop sends (for a Content-Length the code sets). */
  isLength(e: ts.Expression): boolean;
}

export interface LoopShape {
  loop: ts.WhileStatement | ts.ForStatement | ts.DoStatement;
  /** The position counter (`let pos = …`), undefined where the read's position is `null`. */
  pos: Binding | undefined;
  /** The read's length argument. */
  length: ts.Expression;
  /** Whether an expression is the buffer's length (`buf.length`, its constant size). */
  isBufferLength(e: ts.Expression): boolean;
  /** Whether an expression is the file's size (`(await fh.stat()).size`, …). */
  isFileSize(e: ts.Expression): boolean;
  /** Bindings the bound may not use: the chunk's length, the buffer. */
  excluded: readonly Binding[];
  /** The statements that may stand between the position's declaration and the loop (deleted with it). */
  between: readonly ts.Statement[];
  /** The read is the loop's condition (`while ((n = readSync(…)) > 0)`): it stops at the file's end itself. */
  conditionIsRead: boolean;
}

export function notTheEnd(ctx: FixContext, loop: LoopShape['loop']): string {
  const head = ts.isForStatement(loop) ? quote(ctx.sf, loop, 30) : quote(ctx.sf, loop.expression);
  return `the loop's condition ${head} is not the file's end or a range's (\`for (;;)\`, \`while (true)\`, \`while (pos < size)\` with the handle's size, \`while (pos <= end)\` or \`while (pos < limit)\`)`;
}

/** Why a read whose chunks are not known is refused (a read loop's, or a range's last read). */
export function readShape(): string {
  return 'the read is not `read(buffer, 0, buffer.length, position)`, so what each chunk holds is not known';
}

/** The range a loop reads, or no fix with the reason. */
export function loopRange(ctx: FixContext, shape: LoopShape): LoopRange {
  const { loop, pos } = shape;
  const isPos = (e: ts.Expression) => !!pos && bindingOf(ctx, e) === pos;

  // The condition: none (to the file's end), or the position against a bound.
  let bound: ts.Expression | undefined;
  let inclusive = false;
  if (shape.conditionIsRead) {
    // nothing bounds it but the file's end
  } else if (ts.isForStatement(loop)) {
    if (loop.initializer || loop.incrementor || (loop.condition && loop.condition.kind !== ts.SyntaxKind.TrueKeyword)) refuse(notTheEnd(ctx, loop));
  } else if (ts.isWhileStatement(loop)) {
    const c = skipOuter(loop.expression);
    if (c.kind !== ts.SyntaxKind.TrueKeyword) {
      const op = ts.isBinaryExpression(c) ? c.operatorToken.kind : undefined;
      if (!ts.isBinaryExpression(c) || !isPos(c.left) || (op !== ts.SyntaxKind.LessThanToken && op !== ts.SyntaxKind.LessThanEqualsToken)) refuse(notTheEnd(ctx, loop));
      bound = c.right;
      inclusive = op === ts.SyntaxKind.LessThanEqualsToken;
    }
  } else {
    refuse(notTheEnd(ctx, loop));
  }
  const toFileEnd = !bound || (!inclusive && shape.isFileSize(bound));

  // The read's length: the buffer's, or the buffer's cut at the bound on the last read.
  const len = skipOuter(shape.length);
  if (!shape.isBufferLength(len)) {
    const cut =
      !!bound &&
      ts.isCallExpression(len) &&
      isMathCall(ctx, len, ['min']) &&
      len.arguments.length === 2 &&
      [0, 1].some((i) => {
        const rest = len.arguments[1 - i]!;
        const isBound = (e: ts.Expression) => sameValue(ctx, e, bound!);
        return shape.isBufferLength(len.arguments[i]!) && (inclusive ? isInclusiveCount(ctx, rest, isBound, isPos) : isDifference(rest, isBound, isPos));
      });
    if (!cut && bound && ts.isCallExpression(len) && isMathCall(ctx, len, ['min'])) {
      refuse(`the read's length ${quote(ctx.sf, len)} does not cut the last chunk at the range's end ${quote(ctx.sf, bound)} (\`Math.min(buf.length, end - pos + 1)\` for \`pos <= end\`, \`Math.min(buf.length, limit - pos)\` for \`pos < limit\`), so which bytes the loop sends is not known`);
    }
    if (!cut) refuse(readShape());
  } else if (!toFileEnd) {
    refuse(`the last read is not cut at the range's end (\`read(buf, 0, Math.min(buf.length, ${inclusive ? 'end - pos + 1' : 'limit - pos'}), pos)\`), so the loop sends the bytes after it that the last chunk holds`);
  }
  if (bound && !toFileEnd && !isStable(ctx, bound, [...shape.excluded, ...(pos ? [pos] : [])])) {
    refuse(`the range's end ${quote(ctx.sf, bound)} may change while the loop runs (it is not built from constants and bindings never assigned again), where sendFile takes it once`);
  }

  // The start: the position's first value.
  const decl = pos && ts.isVariableDeclaration(pos.decl) ? pos.decl : undefined;
  const first = decl?.initializer && skipOuter(decl.initializer);
  const fromZero = !first || (ts.isNumericLiteral(first) && Number(first.text) === 0);
  let keepPosition = false;
  if (first && !fromZero) {
    const st = decl!.parent.parent as ts.Statement;
    const list = ts.isBlock(st.parent) || ts.isSourceFile(st.parent) ? st.parent.statements : undefined;
    let loopStatement: ts.Node = loop;
    while (ts.isLabeledStatement(loopStatement.parent)) loopStatement = loopStatement.parent;
    const between = list && list.includes(loopStatement as ts.Statement) ? list.slice(list.indexOf(st) + 1, list.indexOf(loopStatement as ts.Statement)) : undefined;
    const adjacent = !!between && between.every((s) => shape.between.includes(s));
    keepPosition = !adjacent && !isStable(ctx, first, shape.excluded);
  }
  const start = first && !fromZero ? first : undefined;

  const isStart = (e: ts.Expression) => (start ? sameValue(ctx, e, start) : ts.isNumericLiteral(skipOuter(e)) && Number((skipOuter(e) as ts.NumericLiteral).text) === 0);
  const isLength = (e: ts.Expression): boolean => {
    if (toFileEnd) return start ? isDifference(e, shape.isFileSize, isStart) : shape.isFileSize(e);
    const isBound = (x: ts.Expression) => sameValue(ctx, x, bound!);
    if (inclusive) return isInclusiveCount(ctx, e, isBound, isStart) || (!start && isOp(skipOuter(e), ts.SyntaxKind.PlusToken) && isBound((skipOuter(e) as ts.BinaryExpression).left) && isOne((skipOuter(e) as ts.BinaryExpression).right));
    if (!start) return isBound(e);
    // `limit - start`, or `length` where the limit is `start + length`.
    const b = skipOuter(bound!);
    return isDifference(e, isBound, isStart) || (isOp(b, ts.SyntaxKind.PlusToken) && isStart(b.left) && sameValue(ctx, e, b.right));
  };
  return { ...(start ? { start } : {}), ...(toFileEnd ? {} : { end: { bound: bound!, inclusive } }), keepPosition, isLength };
}

/** `{ start, end }` for sendFile, or '' for the whole file. */
export function rangeOptions(ctx: FixContext, range: LoopRange, positionName: string): string {
  const parts: string[] = [];
  if (range.start) {
    const text = range.keepPosition ? positionName : range.start.getText(ctx.sf);
    parts.push(text === 'start' ? 'start' : `start: ${text}`);
  }
  if (range.end) {
    const b = skipOuter(range.end.bound);
    const text = range.end.bound.getText(ctx.sf);
    let end: string;
    if (range.end.inclusive) end = text;
    else if (ts.isNumericLiteral(b)) end = String(Number(b.text) - 1);
    else {
      const plain = ts.isIdentifier(b) || ts.isPropertyAccessExpression(b) || ts.isCallExpression(b) || ts.isParenthesizedExpression(b) || isOp(b, ts.SyntaxKind.PlusToken) || isOp(b, ts.SyntaxKind.MinusToken) || isOp(b, ts.SyntaxKind.AsteriskToken) || isOp(b, ts.SyntaxKind.SlashToken);
      end = `${plain ? text : `(${text})`} - 1`;
    }
    parts.push(end === 'end' ? 'end' : `end: ${end}`);
  }
  return parts.length ? `, { ${parts.join(', ')} }` : '';
}
