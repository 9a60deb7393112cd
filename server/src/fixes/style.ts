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

/** Styles per parsed file (a caller that keeps its parse, as the language server does, asks once per version). */
const STYLES = new WeakMap<ts.SourceFile, Map<string, FileStyle>>();

export function detectStyle(sf: ts.SourceFile, packageType?: 'module' | 'commonjs'): FileStyle {
  let perType = STYLES.get(sf);
  if (!perType) STYLES.set(sf, (perType = new Map()));
  const key = packageType ?? '';
  let style = perType.get(key);
  if (!style) perType.set(key, (style = computeStyle(sf, packageType)));
  return style;
}

/**
 * From the text alone (regular expressions run natively; a walk of a large file's tree would cost
 * more than the fix): module specifiers for imports, requires, quotes and `node:`; line ends for
 * semicolons; leading whitespace for the indentation.
 */
function computeStyle(sf: ts.SourceFile, packageType?: 'module' | 'commonjs'): FileStyle {
  const text = sf.text;
  let imports = 0;
  let requires = 0;
  let single = 0;
  let double = 0;
  let prefixed = 0;
  let bare = 0;
  const specifier = (quote: string, spec: string) => {
    if (quote === "'") single++;
    else if (quote === '"') double++;
    if (spec.startsWith('node:')) prefixed++;
    else if (NODE_MODULES.has(spec.split('/')[0]!)) bare++;
  };
  for (const m of text.matchAll(/^\s*import\b[^'"`;]*?(?:\bfrom\s*)?(['"])([^'"\n]+)\1/gm)) {
    imports++;
    specifier(m[1]!, m[2]!);
  }
  for (const m of text.matchAll(/\brequire\(\s*(['"])([^'"\n]+)\1\s*\)/g)) {
    requires++;
    specifier(m[1]!, m[2]!);
  }
  if (single + double === 0) {
    // No module specifier to learn from: any string literal.
    const strings = text.match(/(^|[^\w\\])(['"])/gm) ?? [];
    for (const q of strings) (q.endsWith("'") ? single++ : double++);
  }
  // Statement-like line ends: `;` against a value or a call closed without one.
  const withSemi = (text.match(/;[ \t]*\r?$/gm) ?? []).length;
  const withoutSemi = (text.match(/[\w)\]'"`][ \t]*\r?$/gm) ?? []).length;
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
    semicolons: withSemi >= withoutSemi / 2,
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
