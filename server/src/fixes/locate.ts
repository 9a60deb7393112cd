/**
 * Finding -> nodes: the source call the finding points at, and the sink operation its last step
 * names, in a fresh parse of the file. A range that no longer matches (the text changed since the
 * analysis) finds nothing.
 */
import ts from 'typescript';
import type { Range } from '../engine/types';

function samePosition(sf: ts.SourceFile, pos: number, p: Range['start']): boolean {
  const lc = sf.getLineAndCharacterOfPosition(pos);
  return lc.line === p.line && lc.character === p.character;
}

/** The end the engine reports for a node: its end, or the end of its first line when it spans lines. */
function reportedEnd(sf: ts.SourceFile, node: ts.Node): Range['end'] {
  const start = node.getStart(sf);
  const end = sf.getLineAndCharacterOfPosition(node.getEnd());
  const first = sf.getLineAndCharacterOfPosition(start);
  if (end.line === first.line) return end;
  return sf.getLineAndCharacterOfPosition(sf.getLineEndOfPosition(start));
}

function matches(sf: ts.SourceFile, node: ts.Node, range: Range): boolean {
  if (!samePosition(sf, node.getStart(sf), range.start)) return false;
  const end = reportedEnd(sf, node);
  return end.line === range.end.line && end.character === range.end.character;
}

/** Every node whose start and reported end are `range`, outermost first. */
export function nodesAt(sf: ts.SourceFile, range: Range): ts.Node[] {
  const out: ts.Node[] = [];
  const lineStart = sf.getPositionOfLineAndCharacter(range.start.line, 0);
  const pos = lineStart + range.start.character;
  const visit = (n: ts.Node): void => {
    if (n.getStart(sf) > pos || n.getEnd() < pos) return;
    if (matches(sf, n, range)) out.push(n);
    ts.forEachChild(n, visit);
  };
  if (range.start.line >= sf.getLineStarts().length) return out;
  visit(sf);
  return out;
}

/**
 * The call (or `new`) whose callee is at `range`. A callee spanning lines is reported cut at its
 * first line's end, which the chain around it shares (`fsp\n.readFile(p)\n.then(…)`): the
 * innermost callee is the read's.
 */
export function sourceCallAt(sf: ts.SourceFile, range: Range): ts.CallExpression | ts.NewExpression | undefined {
  for (const n of nodesAt(sf, range).reverse()) {
    const p = n.parent;
    if (p && (ts.isCallExpression(p) || ts.isNewExpression(p)) && p.expression === n) return p;
  }
  return undefined;
}

/** The sink operation at `range`: a call (`res.end(x)`, `a.pipe(b)`), an assignment (`ctx.body = x`) or a return. */
export function sinkNodeAt(sf: ts.SourceFile, range: Range): ts.CallExpression | ts.BinaryExpression | ts.ReturnStatement | undefined {
  for (const n of nodesAt(sf, range)) {
    if (ts.isCallExpression(n) || ts.isBinaryExpression(n) || ts.isReturnStatement(n)) return n;
  }
  return undefined;
}
