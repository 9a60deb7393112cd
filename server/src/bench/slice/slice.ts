/**
 * Anchors -> a slice: the transfer function reduced to the way to its transfer, the file
 * expression bound to the generated file, statements that cannot run in the harness dropped (and
 * listed), and the module-level code it needs collected for copying. Refused, with the reason,
 * when something on the bytes' path cannot be made to run.
 */
import { relative } from 'node:path';
import ts from 'typescript';
import type { Binding, DroppedStatement } from '../../protocol/benchReport';
import type { Anchors, Entry, Span } from './locate';
import { ModuleGraph, topLevelStatement, type Outcome } from './modules';
import { contains, isFunctionLike, lineOf, nodeAt, oneLine, type BoundFile } from './program';
import { Reducer, type Unit } from './reduce';
import { SliceEdits } from './edits';
import { declarationOf, referencesIn, usesThis } from './references';
import { HANDLER_ARGS, HANDLER_ARG_DESCRIPTIONS, SINK_ARG, nameOf, type ServerKind } from './servers';

/** The name the harness gives the generated file; every module scope sees it. */
export const FILE_VARIABLE = '__zcFile';

export interface Slice {
  graph: ModuleGraph;
  edits: SliceEdits;
  server: ServerKind;
  transferFile: BoundFile;
  transfer: ts.FunctionLikeDeclaration;
  /** The transfer function is a top-level declaration the module scope copies anyway. */
  transferIsDeclaration: boolean;
  entry: Entry;
  dropped: DroppedStatement[];
  assumed: string[];
  bound: Binding[];
  /** Shown in messages and the report: paths relative to this folder. */
  displayRoot: string;
}

export type SliceResult = { ok: true; slice: Slice } | { ok: false; reason: string };

export function sliceTransfer(anchors: Anchors, getText: (fileName: string) => string | undefined, displayRoot: string): SliceResult {
  const edits = new SliceEdits();
  const display = (fileName: string): string => relativeTo(displayRoot, fileName);
  const graph = new ModuleGraph(getText, (file, node) => edits.isRemoved(file.fileName, node.getStart(file.sourceFile), node.getEnd()), display);
  const file = graph.file(anchors.transferFile);
  if (!file) return { ok: false, reason: `cannot read ${anchors.transferFile}` };
  const transfer = functionAt(file, anchors.transfer);
  if (!transfer) return { ok: false, reason: 'cannot find the transfer function in the code' };
  const thisUse = transfer.body && usesThis(transfer.body);
  if (thisUse && !ts.isArrowFunction(transfer)) {
    return { ok: false, reason: `line ${lineOf(file, thisUse.getStart(file.sourceFile))}: the transfer function uses \`this\`, an object the benchmark does not have` };
  }

  // The file.
  const bound: Binding[] = [];
  const fileBinding = bindFile(graph, edits, anchors.fileExpression);
  if ('reason' in fileBinding) return { ok: false, reason: fileBinding.reason };
  bound.push({ name: fileBinding.name, to: 'the generated file' });

  // The way to the transfer.
  const reducer = new Reducer(file, edits, display(file.fileName));
  const units = reducer.reduceFunction(transfer, anchors.targets);

  // Parameters: what the server hands over, by position (or through the registered caller).
  const supplied = suppliedParameters(file, transfer, anchors.entry, anchors.server);
  for (const [index, what] of supplied) {
    const p = transfer.parameters[index];
    if (p) bound.push({ name: p.name.getText(file.sourceFile), to: what });
  }

  // Units that cannot run are dropped until none is left; one on the path refuses the benchmark.
  const isLocal = (decl: ts.Node): boolean => contains(transfer, decl);
  const all = flatten(units);
  for (let changed = true; changed; ) {
    changed = false;
    for (const unit of all) {
      if (edits.isRemoved(file.fileName, unit.node.getStart(file.sourceFile), unit.node.getEnd())) continue;
      const problem = unitProblem(graph, edits, file, transfer, unit, isLocal, supplied);
      if (!problem.ok) {
        if (unit.spine) return { ok: false, reason: `line ${lineOf(file, unit.node.getStart(file.sourceFile))} (\`${oneLine(unit.node.getText(file.sourceFile), 60)}\`), on the bytes' path: ${problem.reason}` };
        reducer.drop(unit.node, problem.reason);
        changed = true;
      }
    }
  }
  // What is left must resolve as a whole (this records every import and copy it needs).
  const final = new ModuleGraph(getText, graph.removed, display);
  const whole = final.resolveAll(file, transfer, isLocal);
  if (!whole.ok) return { ok: false, reason: whole.reason };
  const topLevel = topLevelStatement(transfer);
  const transferIsDeclaration = topLevel !== undefined && (ts.isFunctionDeclaration(transfer) || (ts.isVariableDeclaration(transfer.parent) && ts.isVariableStatement(transfer.parent.parent.parent)));
  if (transferIsDeclaration) {
    const name = nameOf(transfer);
    const declared = name && final.resolveReference(file, name, file.checker.getSymbolAtLocation(name), () => false);
    if (!declared || !declared.ok) return { ok: false, reason: declared && !declared.ok ? declared.reason : 'the transfer function cannot be copied' };
    final.needs(file).exports.set(name.text, name.text);
  } else {
    final.needs(file);
  }
  const entryOutcome = resolveEntry(final, file, anchors.entry);
  if (!entryOutcome.ok) return { ok: false, reason: entryOutcome.reason };

  return {
    ok: true,
    slice: {
      graph: final,
      edits,
      server: anchors.server,
      transferFile: file,
      transfer,
      transferIsDeclaration,
      entry: anchors.entry,
      dropped: reducer.dropped,
      assumed: reducer.assumed,
      bound,
      displayRoot,
    },
  };
}

function flatten(units: Unit[]): Unit[] {
  return units.flatMap((u) => [u, ...flatten(u.children)]);
}

function functionAt(file: BoundFile, span: Span): ts.FunctionLikeDeclaration | undefined {
  for (let n = nodeAt(file.sourceFile, span.start, span.end); n; n = n.parent) {
    if (isFunctionLike(n) && n.getStart(file.sourceFile) === span.start) return n;
  }
  return undefined;
}

/** Which parameters of the transfer function the harness supplies, and with what. */
function suppliedParameters(file: BoundFile, transfer: ts.FunctionLikeDeclaration, entry: Entry, server: ServerKind): Map<number, string> {
  const out = new Map<number, string>();
  const args = HANDLER_ARGS[server];
  const describe = (index: number): string => HANDLER_ARG_DESCRIPTIONS[server][index]!;
  if (entry.kind === 'direct') {
    transfer.parameters.forEach((_, i) => {
      if (i < args.length) out.set(i, describe(i));
    });
  } else if (entry.kind === 'positional') {
    out.set(entry.sinkIndex, describe(SINK_ARG[server]));
  } else {
    // Through the registered caller: the arguments of its call that are its own parameters.
    const call = nodeAt(file.sourceFile, entry.call.start, entry.call.end);
    const caller = functionAt(file, entry.caller);
    if (call && ts.isCallExpression(call) && caller) {
      call.arguments.forEach((arg, i) => {
        if (!ts.isIdentifier(arg)) return;
        const decl = declarationOf(file.checker.getSymbolAtLocation(arg));
        const index = caller.parameters.findIndex((p) => p === decl);
        if (index >= 0 && index < args.length) out.set(i, describe(index));
      });
    }
  }
  return out;
}

function unitProblem(graph: ModuleGraph, edits: SliceEdits, file: BoundFile, transfer: ts.FunctionLikeDeclaration, unit: Unit, isLocal: (d: ts.Node) => boolean, supplied: Map<number, string>): Outcome {
  const sf = file.sourceFile;
  const childNodes = unit.children.map((c) => c.node);
  const skip = (n: ts.Node): boolean => childNodes.includes(n);
  for (const ref of referencesIn(unit.node, file.checker, (n) => skip(n) || edits.isRemoved(file.fileName, n.getStart(sf), n.getEnd()))) {
    const decl = declarationOf(ref.symbol);
    if (decl && decl.getSourceFile() === sf && isLocal(decl)) {
      if (edits.isRemoved(file.fileName, decl.getStart(sf), decl.getEnd())) {
        return { ok: false, reason: `\`${ref.id.text}\` is set by a statement that was dropped (line ${lineOf(file, decl.getStart(sf))})` };
      }
      const index = transfer.parameters.findIndex((p) => p === decl || contains(p, decl));
      if (index >= 0 && !supplied.has(index)) {
        return { ok: false, reason: `\`${ref.id.text}\` is a parameter the server does not supply` };
      }
      continue;
    }
    const outcome = graph.resolveReference(file, ref.id, ref.symbol, isLocal);
    if (!outcome.ok) return outcome;
  }
  return { ok: true };
}

/** The file expression, bound: a parameter is assigned the generated file, a local variable initialised with it, anything else replaced by it. */
function bindFile(graph: ModuleGraph, edits: SliceEdits, at: Anchors['fileExpression']): { name: string } | { reason: string } {
  const file = graph.file(at.fileName);
  if (!file) return { reason: `cannot read ${at.fileName}` };
  const sf = file.sourceFile;
  let expression = nodeAt(sf, at.start, at.end);
  while (expression && expression.getStart(sf) === at.start && expression.parent && expression.parent.getStart(sf) === at.start && expression.parent.getEnd() === at.end) expression = expression.parent;
  if (!expression || !ts.isExpression(expression)) return { reason: 'cannot find the expression that names the file' };
  const text = oneLine(expression.getText(sf), 60);
  if (ts.isIdentifier(expression)) {
    const decl = declarationOf(file.checker.getSymbolAtLocation(expression));
    if (decl && ts.isParameter(decl) && ts.isIdentifier(decl.name) && isFunctionLike(decl.parent) && decl.parent.body) {
      const body = decl.parent.body;
      if (ts.isBlock(body)) edits.insert(file.fileName, body.getStart(sf) + 1, ` ${decl.name.text} = ${FILE_VARIABLE};`);
      else {
        edits.insert(file.fileName, body.getStart(sf), `(${decl.name.text} = ${FILE_VARIABLE}, `);
        edits.insert(file.fileName, body.getEnd(), ')');
      }
      return { name: `${text} (parameter)` };
    }
    if (decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && decl.initializer && topLevelStatement(decl) === undefined) {
      edits.replace(file.fileName, decl.initializer.getStart(sf), decl.initializer.getEnd(), FILE_VARIABLE);
      return { name: `${text} = ${oneLine(decl.initializer.getText(sf), 60)}` };
    }
  }
  edits.replace(file.fileName, expression.getStart(sf), expression.getEnd(), FILE_VARIABLE);
  return { name: text };
}

function resolveEntry(graph: ModuleGraph, file: BoundFile, entry: Entry): Outcome {
  if (entry.kind !== 'call') return { ok: true };
  const call = nodeAt(file.sourceFile, entry.call.start, entry.call.end);
  const caller = functionAt(file, entry.caller);
  if (!call || !caller) return { ok: false, reason: 'cannot find the call of the transfer function' };
  const outcome = graph.resolveAll(file, call, (d) => caller.parameters.some((p) => contains(p, d)));
  return outcome.ok ? outcome : { ok: false, reason: `the call \`${oneLine(call.getText(file.sourceFile), 60)}\`: ${outcome.reason}` };
}

export function relativeTo(root: string, fileName: string): string {
  const rel = relative(root, fileName);
  return rel.startsWith('..') ? fileName : rel.split('\\').join('/');
}

