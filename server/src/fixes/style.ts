/**
 * How a file is written, so that a fix reads as if its author wrote it: module system, quotes,
 * semicolons, indentation, line ending, whether Node's modules are named `node:x`.
 */
import ts from 'typescript';

export interface FileStyle {
  /** `import … from` (ESM, TypeScript) or `require()` (CommonJS). */
  modules: 'esm' | 'commonjs';
  quote: "'" | '"';
  semicolons: boolean;
  /** One level of indentation. */
  indent: string;
  newline: '\n' | '\r\n';
  /** The file names Node's built-in modules with the `node:` prefix. */
  nodePrefix: boolean;
  typescript: boolean;
}

export function detectStyle(sf: ts.SourceFile, packageType?: 'module' | 'commonjs'): FileStyle {
  const text = sf.text;
  let imports = 0;
  let requires = 0;
  let single = 0;
  let double = 0;
  let prefixed = 0;
  let bare = 0;
  let withSemi = 0;
  let withoutSemi = 0;
  const specifier = (lit: ts.StringLiteralLike): void => {
    const q = text[lit.getStart(sf)];
    if (q === "'") single++;
    else if (q === '"') double++;
    if (lit.text.startsWith('node:')) prefixed++;
    else if (/^[a-z_]+(\/[a-z_]+)?$/.test(lit.text) && NODE_MODULES.has(lit.text.split('/')[0]!)) bare++;
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      imports++;
      specifier(n.moduleSpecifier);
    } else if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'require' && n.arguments.length === 1 && ts.isStringLiteralLike(n.arguments[0]!)) {
      requires++;
      specifier(n.arguments[0] as ts.StringLiteralLike);
    }
    if (ts.isExpressionStatement(n) || ts.isVariableStatement(n) || ts.isReturnStatement(n) || ts.isImportDeclaration(n)) {
      const last = text[n.getEnd() - 1];
      if (last === ';') withSemi++;
      else withoutSemi++;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  if (single + double === 0) {
    // No module specifier to learn from: any string literal.
    const strings = text.match(/(^|[^\w\\])(['"])/gm) ?? [];
    for (const s of strings) (s.endsWith("'") ? single++ : double++);
  }
  const name = sf.fileName;
  const typescript = /\.[cm]?tsx?$/.test(name);
  let modules: FileStyle['modules'];
  if (/\.m[jt]s$/.test(name)) modules = 'esm';
  else if (/\.c[jt]s$/.test(name)) modules = 'commonjs';
  else if (imports > 0) modules = 'esm';
  else if (requires > 0) modules = 'commonjs';
  else if (typescript) modules = 'esm';
  else modules = packageType === 'module' ? 'esm' : 'commonjs';
  return {
    modules,
    quote: double > single ? '"' : "'",
    semicolons: withSemi >= withoutSemi,
    indent: detectIndent(text),
    newline: text.includes('\r\n') ? '\r\n' : '\n',
    nodePrefix: prefixed > bare,
    typescript,
  };
}

/** The most common step between the indentation of consecutive lines (tabs if lines start with tabs). */
function detectIndent(text: string): string {
  const lines = text.split(/\r?\n/);
  let tabs = 0;
  let spaces = 0;
  const steps = new Map<number, number>();
  let previous = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const lead = /^[ \t]*/.exec(line)![0];
    if (lead.startsWith('\t')) {
      tabs++;
      continue;
    }
    if (lead.length > 0) spaces++;
    const step = Math.abs(lead.length - previous);
    if (step > 0 && step <= 8) steps.set(step, (steps.get(step) ?? 0) + 1);
    previous = lead.length;
  }
  if (tabs > spaces) return '\t';
  let best = 2;
  let count = 0;
  for (const [step, n] of steps) if (n > count || (n === count && step < best)) [best, count] = [step, n];
  return ' '.repeat(best);
}

/** Node's built-in modules a fix may import from (and the ones a file's specifiers tell us about). */
const NODE_MODULES = new Set(['fs', 'http', 'https', 'http2', 'net', 'tls', 'stream', 'events', 'path', 'util', 'zlib', 'crypto', 'url', 'os', 'buffer', 'child_process']);

/** The specifier of a Node module in this file's style: `node:fs` or `fs`. */
export function nodeModule(style: FileStyle, name: string): string {
  return style.nodePrefix ? `node:${name}` : name;
}

export function quoted(style: FileStyle, s: string): string {
  const q = style.quote;
  return q + s.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), '\\' + q) + q;
}

/** A statement's end: `;` or nothing, as the file writes it. */
export function semi(style: FileStyle): string {
  return style.semicolons ? ';' : '';
}
