/**
 * The transfer function cut down to the way to its transfer. At every block on the way to the
 * targets (the sink and the steps of the bytes' path):
 * - an `if`/`switch` holding a target is replaced by the branch holding it (its condition is
 *   assumed, and listed);
 * - a statement before the last target that may leave the function (another route, an error
 *   branch: it holds a `return`, `throw`, `break` or `continue` out of it) is dropped;
 * - a statement after one that always leaves is unreachable on the path, and dropped;
 * - every other statement is kept, and becomes a *unit*: dropped later if it cannot run in the
 *   harness (it reads a name the harness cannot bind), unless it is on the path (a *spine* unit,
 *   holding a target), in which case the benchmark is refused.
 * Loops on the way are kept whole (their body is the transfer).
 */
import ts from 'typescript';
import type { DroppedStatement } from '../../protocol/benchReport';
import type { SliceEdits } from './edits';
import { isFunctionLike, lineOf, oneLine, type BoundFile } from './program';

export interface Unit {
  node: ts.Node;
  spine: boolean;
  /** Units inside a spine unit (the statements of the block or callback on the path). */
  children: Unit[];
}

export interface Reduction {
  units: Unit[];
  dropped: DroppedStatement[];
  /** Conditions taken to reach the transfer, for the report. */
  assumed: string[];
}

interface Target {
  start: number;
  end: number;
}

export class Reducer {
  readonly dropped: DroppedStatement[] = [];
  readonly assumed: string[] = [];
  private labels = 0;

  constructor(
    private readonly file: BoundFile,
    private readonly edits: SliceEdits,
    private readonly displayName: string,
  ) {}

  reduceFunction(fn: ts.FunctionLikeDeclaration, targets: readonly Target[]): Unit[] {
    const body = fn.body;
    if (!body) return [];
    if (!ts.isBlock(body)) return [{ node: body, spine: true, children: this.inCallbacks(body, targets) }];
    return this.reduceBlock(body.statements, targets);
  }

  drop(node: ts.Node, reason: string): void {
    const start = node.getStart(this.file.sourceFile);
    const { from, to } = wholeLines(this.file.text, start, node.getEnd());
    this.edits.replace(this.file.fileName, from, to, '');
    this.dropped.push({ file: this.displayName, line: lineOf(this.file, start), text: oneLine(node.getText(this.file.sourceFile)), reason });
  }

  private within(node: ts.Node, targets: readonly Target[]): Target[] {
    const start = node.getStart(this.file.sourceFile);
    return targets.filter((t) => start <= t.start && t.end <= node.getEnd());
  }

  private reduceBlock(statements: readonly ts.Statement[], targets: readonly Target[]): Unit[] {
    const units: Unit[] = [];
    const total = statements.reduce((n, s) => n + this.within(s, targets).length, 0);
    let seen = 0;
    let exited = false;
    for (const statement of statements) {
      if (ts.isFunctionDeclaration(statement) || ts.isEmptyStatement(statement)) {
        if (!ts.isEmptyStatement(statement)) units.push({ node: statement, spine: false, children: [] });
        continue;
      }
      if (exited) {
        this.drop(statement, 'unreachable: the transfer’s path has already left the function');
        continue;
      }
      const inside = this.within(statement, targets);
      if (inside.length > 0) {
        seen += inside.length;
        const { children, effective } = this.reduceContaining(statement, inside);
        units.push({ node: statement, spine: true, children });
        if (seen === total && alwaysLeaves(effective)) exited = true;
      } else if (seen < total && mayLeave(statement)) {
        this.drop(statement, 'may leave before the transfer: another route or an error branch');
      } else {
        units.push({ node: statement, spine: false, children: [] });
      }
    }
    return units;
  }

  /** The units inside a statement on the path, and the statement the path really goes through. */
  private reduceContaining(statement: ts.Statement, targets: readonly Target[]): { children: Unit[]; effective: ts.Statement } {
    const sf = this.file.sourceFile;
    if (ts.isIfStatement(statement)) {
      const inThen = this.within(statement.thenStatement, targets);
      const inElse = statement.elseStatement ? this.within(statement.elseStatement, targets) : [];
      if (inThen.length > 0 && inElse.length > 0) return { children: [], effective: statement };
      const branch = inThen.length > 0 ? statement.thenStatement : statement.elseStatement!;
      this.assumed.push(`${inThen.length > 0 ? '' : 'not '}${oneLine(statement.expression.getText(sf), 80)}`);
      this.edits.replace(this.file.fileName, statement.getStart(sf), branch.getStart(sf), '');
      this.edits.replace(this.file.fileName, branch.getEnd(), statement.getEnd(), '');
      if (ts.isBlock(branch)) return { children: this.reduceBlock(branch.statements, targets), effective: branch };
      const inner = this.reduceContaining(branch, targets);
      return { children: [{ node: branch, spine: true, children: inner.children }], effective: inner.effective };
    }
    if (ts.isBlock(statement)) return { children: this.reduceBlock(statement.statements, targets), effective: statement };
    if (ts.isLabeledStatement(statement)) return this.reduceContaining(statement.statement, targets);
    if (ts.isTryStatement(statement)) {
      if (this.within(statement.tryBlock, targets).length !== targets.length) return { children: [], effective: statement };
      const children = this.reduceBlock(statement.tryBlock.statements, targets);
      // The error handling stays, statement by statement: what cannot run is dropped.
      if (statement.catchClause) children.push(...this.reduceBlock(statement.catchClause.block.statements, []));
      if (statement.finallyBlock) children.push(...this.reduceBlock(statement.finallyBlock.statements, []));
      return { children, effective: statement };
    }
    if (ts.isSwitchStatement(statement)) return this.reduceSwitch(statement, targets);
    if (ts.isIterationStatement(statement, false)) return { children: [], effective: statement };
    return { children: this.inCallbacks(statement, targets), effective: statement };
  }

  /** `switch (x) { case a: …; break; }` becomes a labelled block of the case holding the targets. */
  private reduceSwitch(statement: ts.SwitchStatement, targets: readonly Target[]): { children: Unit[]; effective: ts.Statement } {
    const sf = this.file.sourceFile;
    const clauses = statement.caseBlock.clauses.filter((c) => this.within(c, targets).length > 0);
    const clause = clauses[0];
    if (clauses.length !== 1 || !clause || clause.statements.length === 0) return { children: [], effective: statement };
    const label = `__zcCase${this.labels++}`;
    this.assumed.push(ts.isCaseClause(clause) ? `${oneLine(statement.expression.getText(sf), 60)} is ${oneLine(clause.expression.getText(sf), 60)}` : `${oneLine(statement.expression.getText(sf), 60)} matches no other case`);
    this.edits.replace(this.file.fileName, statement.getStart(sf), clause.statements[0]!.getStart(sf), `${label}: {`);
    this.edits.replace(this.file.fileName, clause.statements.at(-1)!.getEnd(), statement.getEnd(), '}');
    const visit = (node: ts.Node): void => {
      if (isFunctionLike(node) || ts.isIterationStatement(node, false) || ts.isSwitchStatement(node)) return;
      if (ts.isBreakStatement(node) && !node.label) this.edits.replace(this.file.fileName, node.getStart(sf), node.getEnd(), `break ${label};`);
      node.forEachChild(visit);
    };
    clause.statements.forEach(visit);
    return { children: this.reduceBlock(clause.statements, targets), effective: statement };
  }

  /** Callbacks on the path (`fs.readFile(p, (err, data) => { … res.end(data) })`): their bodies are reduced too. */
  private inCallbacks(node: ts.Node, targets: readonly Target[]): Unit[] {
    const units: Unit[] = [];
    const visit = (n: ts.Node): void => {
      if (isFunctionLike(n)) {
        const inside = this.within(n, targets);
        if (inside.length > 0 && n.body) {
          if (ts.isBlock(n.body)) units.push(...this.reduceBlock(n.body.statements, inside));
          else n.body.forEachChild(visit);
        }
        return;
      }
      n.forEachChild(visit);
    };
    node.forEachChild(visit);
    return units;
  }
}

/** [start, end) widened to whole lines when nothing else is on them, so a dropped statement leaves no blank line. */
function wholeLines(text: string, start: number, end: number): { from: number; to: number } {
  let from = start;
  while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
  let to = end;
  while (to < text.length && (text[to] === ' ' || text[to] === '\t')) to++;
  const ownLines = (from === 0 || text[from - 1] === '\n') && (to === text.length || text[to] === '\n' || text[to] === '\r');
  if (!ownLines) return { from: start, to: end };
  if (text[to] === '\r') to++;
  if (text[to] === '\n') to++;
  return { from, to };
}

/** Holds a way out of the enclosing function or loop: `return`, `throw`, or a `break`/`continue` that leaves it. */
export function mayLeave(statement: ts.Statement): boolean {
  let leaves = false;
  const visit = (node: ts.Node, loops: number, switches: number): void => {
    if (leaves || isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) || ts.isThrowStatement(node)) leaves = true;
    else if (ts.isBreakStatement(node) && (node.label || loops + switches === 0)) leaves = true;
    else if (ts.isContinueStatement(node) && (node.label || loops === 0)) leaves = true;
    else {
      const loop = ts.isIterationStatement(node, false) ? 1 : 0;
      const sw = ts.isSwitchStatement(node) ? 1 : 0;
      node.forEachChild((child) => visit(child, loops + loop, switches + sw));
    }
  };
  visit(statement, 0, 0);
  return leaves;
}

/** Always leaves the function: a `return` or `throw`, or a block / `if`-`else` all of whose ways end in one. */
export function alwaysLeaves(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) return statement.statements.some((s) => alwaysLeaves(s));
  if (ts.isIfStatement(statement)) return statement.elseStatement !== undefined && alwaysLeaves(statement.thenStatement) && alwaysLeaves(statement.elseStatement);
  return false;
}
