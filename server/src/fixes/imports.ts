/**
 * The names a fix needs from a module (`sendFile` from zerocopy, `createReadStream` from fs),
 * reached the way the file already reaches that module: an existing binding (`fs.x`, a named
 * import), an extended import or destructuring, or a new statement where the file keeps its
 * imports (`import` in ESM and TypeScript, `require` in CommonJS).
 */
import ts from 'typescript';
import { quoted, semi, type FileStyle } from './style';
import type { OffsetEdit } from './rewrite';
import type { Scopes } from '../engine/scope';

const FS_LIKE = ['fs', 'graceful-fs', 'fs-extra'];

/** `node:fs` and `fs` are one module. */
function bare(spec: string): string {
  return spec.startsWith('node:') ? spec.slice(5) : spec;
}

/** A module's existing reach in the file. */
interface ModuleImport {
  spec: string;
  /** The statement (import declaration or variable statement with the require). */
  statement: ts.Statement;
  /** `fs` in `import * as fs`, `import fs from`, `const fs = require('fs')`, `import fs = require('fs')`. */
  namespace?: string;
  /** imported name -> local name */
  named: Map<string, string>;
  /** The `{ … }` to extend: named imports or an object binding pattern. */
  list?: ts.NamedImports | ts.ObjectBindingPattern;
}

function requireSpec(e: ts.Expression | undefined): string | undefined {
  if (!e || !ts.isCallExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== 'require') return undefined;
  const a = e.arguments[0];
  return e.arguments.length === 1 && a && ts.isStringLiteralLike(a) ? a.text : undefined;
}

function collect(sf: ts.SourceFile): ModuleImport[] {
  const out: ModuleImport[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.importClause && !st.importClause.isTypeOnly) {
      const m: ModuleImport = { spec: st.moduleSpecifier.text, statement: st, named: new Map() };
      const c = st.importClause;
      if (c.name) m.namespace = c.name.text;
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) m.namespace = c.namedBindings.name.text;
      if (c.namedBindings && ts.isNamedImports(c.namedBindings)) {
        m.list = c.namedBindings;
        for (const el of c.namedBindings.elements) if (!el.isTypeOnly) m.named.set((el.propertyName ?? el.name).text, el.name.text);
      }
      out.push(m);
    } else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference) && ts.isStringLiteral(st.moduleReference.expression)) {
      out.push({ spec: st.moduleReference.expression.text, statement: st, namespace: st.name.text, named: new Map() });
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const spec = requireSpec(d.initializer);
        if (spec === undefined) continue;
        const m: ModuleImport = { spec, statement: st, named: new Map() };
        if (ts.isIdentifier(d.name)) m.namespace = d.name.text;
        else if (ts.isObjectBindingPattern(d.name)) {
          if (st.declarationList.declarations.length === 1) m.list = d.name;
          for (const el of d.name.elements) {
            if (el.dotDotDotToken || !ts.isIdentifier(el.name)) continue;
            const imported = el.propertyName ? (ts.isIdentifier(el.propertyName) || ts.isStringLiteral(el.propertyName) ? el.propertyName.text : undefined) : el.name.text;
            if (imported !== undefined) m.named.set(imported, el.name.text);
          }
        }
        out.push(m);
      }
    }
  }
  return out;
}

interface FileNames {
  /** Every word of the file: a superset of its names (property names, strings and comments too), which a new binding avoids. */
  used: Set<string>;
  /** How many times each name is declared (a top-level name declared again may be shadowed). */
  declared: Map<string, number>;
  modules: ModuleImport[];
}

/** What the file's names are, once per parsed file. */
const NAMES = new WeakMap<ts.SourceFile, FileNames>();

function fileNames(sf: ts.SourceFile, scopes: Scopes): FileNames {
  const cached = NAMES.get(sf);
  if (cached) return cached;
  // Words, not identifiers: one native scan instead of a walk of the tree.
  const used = new Set(sf.text.match(/[A-Za-z_$][\w$]*/g) ?? []);
  const declared = new Map<string, number>();
  for (const b of scopes.all) declared.set(b.name, (declared.get(b.name) ?? 0) + 1);
  const names = { used, declared, modules: collect(sf) };
  NAMES.set(sf, names);
  return names;
}

/** Where a new import statement goes: after the last import (ESM) or the leading requires (CommonJS). */
function insertionPoint(sf: ts.SourceFile, style: FileStyle): { offset: number; before: string; after: string } {
  let anchor: ts.Statement | undefined;
  const isImport = (st: ts.Statement) => ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st);
  const isRequire = (st: ts.Statement) =>
    ts.isVariableStatement(st) && st.declarationList.declarations.every((d) => requireSpec(d.initializer) !== undefined || requireSpec(propertyRoot(d.initializer)) !== undefined);
  const isDirective = (st: ts.Statement) => ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression);
  if (style.modules === 'esm') {
    for (const st of sf.statements) if (isImport(st)) anchor = st;
  }
  if (!anchor) {
    // The leading run of directives, imports and requires.
    for (const st of sf.statements) {
      if (isDirective(st) || isImport(st) || isRequire(st)) anchor = st;
      else break;
    }
  }
  const nl = style.newline;
  if (anchor) return { offset: anchor.getEnd(), before: nl, after: '' };
  // At the top, below a shebang and the comments that head the file (a blank line after them).
  const text = sf.text;
  const first = sf.statements[0];
  const shebangEnd = text.startsWith('#!') ? text.indexOf('\n') + 1 || text.length : 0;
  const comments = (ts.getLeadingCommentRanges(text, shebangEnd) ?? []).filter((c) => !first || c.end <= first.getStart(sf));
  const lastComment = comments[comments.length - 1];
  if (lastComment && (!first || /\n[ \t]*\r?\n/.test(text.slice(lastComment.end, first.getStart(sf))))) {
    return { offset: lastComment.end, before: nl, after: '' };
  }
  return { offset: shebangEnd, before: '', after: nl + (first ? nl : '') };
}

function propertyRoot(e: ts.Expression | undefined): ts.Expression | undefined {
  while (e && ts.isPropertyAccessExpression(e)) e = e.expression;
  return e;
}

/** The imports one fix needs; `edits()` turns them into edits once all are asked for. */
export class Imports {
  private readonly existing: ModuleImport[];
  private readonly used: Set<string>;
  /** Names added to an existing `{ … }`, per list. */
  private readonly extend = new Map<ts.NamedImports | ts.ObjectBindingPattern, string[]>();
  /** New statements, in the order asked for. */
  private readonly added: Array<{ spec: string; names: Array<[string, string]> }> = [];
  /** Whether a name from `zerocopy` was needed (the package then needs the dependency). */
  needsZerocopy = false;
  private readonly declared: Map<string, number>;

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly style: FileStyle,
    scopes: Scopes,
  ) {
    const names = fileNames(sf, scopes);
    this.existing = names.modules;
    this.used = new Set(names.used);
    this.declared = names.declared;
  }

  /** An expression for `name` of `spec` (`node:fs`, `zerocopy`…): `fs.copyFile`, `copyFile`, or a new name. */
  named(spec: string, name: string): string {
    if (spec === 'zerocopy') this.needsZerocopy = true;
    const wanted = bare(spec);
    const sameModule = (m: ModuleImport) => bare(m.spec) === wanted || (wanted === 'fs' && FS_LIKE.includes(bare(m.spec)) && m.namespace !== undefined);
    for (const m of this.existing) {
      const local = m.named.get(name);
      if (bare(m.spec) === wanted && local !== undefined && this.unshadowed(local)) return local;
    }
    for (const m of this.existing) if (sameModule(m) && m.namespace && this.unshadowed(m.namespace)) return `${m.namespace}.${name}`;
    for (const a of this.added) if (a.spec === spec) {
      const found = a.names.find(([imported]) => imported === name);
      if (found) return found[1];
    }
    const local = this.freshName(name, spec);
    const list = this.existing.find((m) => bare(m.spec) === wanted && m.list)?.list;
    if (list) {
      const names = this.extend.get(list) ?? [];
      names.push(local === name ? name : ts.isNamedImports(list) ? `${name} as ${local}` : `${name}: ${local}`);
      this.extend.set(list, names);
      return local;
    }
    let entry = this.added.find((a) => a.spec === spec);
    if (!entry) this.added.push((entry = { spec, names: [] }));
    entry.names.push([name, local]);
    return local;
  }

  /** A name that appears nowhere in the file (a local variable the fix declares). */
  freshName(name: string, context = ''): string {
    if (!this.used.has(name)) {
      this.used.add(name);
      return name;
    }
    const prefix = context === 'zerocopy' ? 'zerocopy' : '';
    let candidate = prefix ? prefix + name[0]!.toUpperCase() + name.slice(1) : name + '2';
    for (let i = 2; this.used.has(candidate); i++) candidate = (prefix ? prefix + name[0]!.toUpperCase() + name.slice(1) : name) + i;
    this.used.add(candidate);
    return candidate;
  }

  /** A top-level binding is usable where the fix writes it unless a nested declaration of the same name could shadow it. */
  private unshadowed(local: string): boolean {
    return (this.declared.get(local) ?? 0) <= 1;
  }

  edits(): OffsetEdit[] {
    const out: OffsetEdit[] = [];
    for (const [list, names] of this.extend) {
      const elements = list.elements;
      const last = elements[elements.length - 1];
      const trailingComma = list.elements.hasTrailingComma;
      if (last) {
        const at = trailingComma ? list.elements.end : last.getEnd();
        const multiline = /\n/.test(this.sf.text.slice(list.getStart(this.sf), list.getEnd()));
        const sep = multiline ? `,${this.style.newline}${indentOfLine(this.sf, last)}` : ', ';
        out.push({ start: at, end: at, newText: (trailingComma ? (multiline ? this.style.newline + indentOfLine(this.sf, last) : ' ') : sep) + names.join(sep) + (trailingComma ? ',' : '') });
      } else {
        const open = list.getStart(this.sf) + 1;
        out.push({ start: open, end: list.getEnd() - 1, newText: ` ${names.join(', ')} ` });
      }
    }
    if (this.added.length) {
      const point = insertionPoint(this.sf, this.style);
      const lines = this.added.map((a) => this.statement(a.spec, a.names));
      out.push({ start: point.offset, end: point.offset, newText: point.before + lines.join(this.style.newline) + point.after });
    }
    return out;
  }

  private statement(spec: string, names: Array<[string, string]>): string {
    const esm = this.style.modules === 'esm';
    const list = names.map(([imported, local]) => (imported === local ? imported : esm ? `${imported} as ${local}` : `${imported}: ${local}`)).join(', ');
    return esm ? `import { ${list} } from ${quoted(this.style, spec)}${semi(this.style)}` : `const { ${list} } = require(${quoted(this.style, spec)})${semi(this.style)}`;
  }
}

function indentOfLine(sf: ts.SourceFile, node: ts.Node): string {
  const start = node.getStart(sf);
  let ls = start;
  while (ls > 0 && sf.text[ls - 1] !== '\n') ls--;
  return /^[ \t]*/.exec(sf.text.slice(ls, start))![0];
}
