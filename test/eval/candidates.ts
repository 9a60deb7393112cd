/**
 * Lists the call sites of a file that *might* be source calls per RULES.md, so that labelling by hand misses none.
 * Deliberately over-inclusive and purely syntactic: it knows nothing about what `fs` is; a person decides.
 * Also used by the eval runner to check that every labelled line still holds the call its label names.
 */
import * as ts from 'typescript';

/** Names RULES.md lists as sources (whole-file reads, streams, chunk reads). */
const SOURCE_NAMES = new Set(['readFile', 'readFileSync', 'createReadStream', 'ReadStream', 'read', 'readSync', 'readv', 'readvSync']);
/** Calls that mention "read" but are plainly not byte sources: directory listings, links, buffer decoding. */
const NOT_READS = /^(readdir|readlink|realpath|readU?Int|readBigU?Int|readFloat|readDouble|readable|readyState)/i;

export interface Candidate {
  /** 1-based, as an editor shows it. */
  line: number;
  /** 1-based column of the callee's first character. */
  column: number;
  /** 1-based line of the callee's last character (a callee may be split over lines: `fs\n  .readFile`). */
  endLine: number;
  /** The callee as written, shortened. */
  callee: string;
  /** `call`/`new`: invoked here. `ref`: a source function passed or stored as a value (the call happens elsewhere). */
  kind: 'call' | 'new' | 'ref';
  /** The callee's last name is exactly a source name (vs. merely containing "read"). */
  exactName: boolean;
}

function lastName(expr: ts.Expression): string | undefined {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  if (ts.isElementAccessExpression(expr) && ts.isStringLiteralLike(expr.argumentExpression)) return expr.argumentExpression.text;
  if (ts.isParenthesizedExpression(expr)) return lastName(expr.expression);
  // `(0, fs_1.readFile)(p)`: how TypeScript and Babel compile a call to an imported binding.
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.CommaToken) return lastName(expr.right);
  return undefined;
}

function isCandidateName(name: string): boolean {
  return SOURCE_NAMES.has(name) || (/read/i.test(name) && !NOT_READS.test(name));
}

/** Whether `node` is the callee of a call, directly or as `(0, node)(…)`. */
function isInvoked(node: ts.Node): boolean {
  let callee: ts.Node = node;
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.CommaToken && parent.right === callee)) {
    callee = parent;
    parent = parent.parent;
  }
  return (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === callee;
}

export function scriptKindFor(fileName: string): ts.ScriptKind {
  if (/\.(ts|mts|cts)$/.test(fileName)) return ts.ScriptKind.TS;
  if (fileName.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (fileName.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

export function listCandidates(fileName: string, text: string): Candidate[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindFor(fileName));
  const out: Candidate[] = [];
  const add = (callee: ts.Node, kind: Candidate['kind'], name: string): void => {
    const start = callee.getStart(sf);
    const { line, character } = sf.getLineAndCharacterOfPosition(start);
    const endLine = sf.getLineAndCharacterOfPosition(callee.getEnd()).line + 1;
    const written = callee.getText(sf).replace(/\s+/g, ' ');
    out.push({
      line: line + 1,
      column: character + 1,
      endLine,
      callee: written.length > 60 ? written.slice(0, 57) + '...' : written,
      kind,
      exactName: SOURCE_NAMES.has(name),
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const name = lastName(node.expression);
      if (name !== undefined && isCandidateName(name)) add(node.expression, ts.isNewExpression(node) ? 'new' : 'call', name);
    } else if (ts.isPropertyAccessExpression(node) && SOURCE_NAMES.has(node.name.text) && node.name.text !== 'read') {
      // `promisify(fs.readFile)`, `{ createReadStream: fs.createReadStream }`: the source is reached through a value.
      const invoked = isInvoked(node);
      if (!invoked) add(node, 'ref', node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}
