import ts from 'typescript';
import { commonJsExport, isAssignmentOperator, isFunctionScope, Scopes, skipOuter, wrappedFunction } from './scope';
import type { Finding, Location, Range } from './types';
import type { Project } from './project';
import { detached } from './parse';

/**
 * Analysis of an edited file part by part: its top-level statements are grouped into parts that
 * cannot change each other's analysis, and a part whose statements are unchanged (same text, same
 * positions relative to each other) keeps the findings of an earlier version, moved by as many
 * lines as the part moved. Only the part an edit touched is analysed again.
 *
 * Two statements are in the same part when one names a variable the other declares in the file's
 * scope, when both use the file's implicit instance (`this` outside a class, `X.prototype.y`; inside
 * a top-level wrapper `(function () { … })()` these are the wrapper's own, see wrappedFunction),
 * when both import other files of the project (their values may meet there), or when one reads the
 * module's own exports (`exports.protocols[p]`) while the other writes them. A declaration that
 * only imports a package (`const fs = require('fs')`, `import { x } from 'y'`) and is never
 * reassigned or passed around does not join parts: it is copied into every part that uses it.
 */

/** What is known of a finding before the rules the user chose and suppression comments apply. */
export interface Candidate {
  finding: Finding;
  /** The file whose suppression comments apply (where the source call is). */
  sf: ts.SourceFile;
}

export interface Part {
  /** The statements analysed together, in source order (package imports copied in). */
  statements: ts.Statement[];
  /** Identifies the part across versions: its statements' texts and relative positions. */
  key: string;
  /** The line of its first statement. */
  line: number;
}

interface Facts {
  /** Every identifier name in the statement except property names after a dot. */
  names: Set<string>;
  /** Those of `names` that the statement reads from the file's scope (learnt when another statement declares one). */
  free?: Set<string>;
  /** Property names it reads or writes (`x.name`, `x['name']`). */
  props: string[];
  /** Names it declares in the file's scope. */
  declares: string[];
  /** Names assigned (`x = …`) or passed as an argument (`f(x)`): values other statements may fill. */
  escapes: string[];
  /**
   * Properties of the file's implicit instance it reads (`this.name` outside a class; 'any' when it
   * holds `this` itself: `var self = this`) and writes (`this.name = …`, `X.prototype.name = …`).
   */
  instance?: { reads: string[] | 'any'; writes: string[]; returns: string[]; writesAny?: boolean };
  /** Functions of the file it constructs (`new F()`): their instances are the implicit instance. */
  constructs?: string[];
  /** Functions, and properties of the instance, taken as values rather than called (`f` in `g(f)`, `this.m` in `var m = this.m`). */
  methodValues: string[];
  /** How the result of each call is used, by the called method's or function's name (`x.name()`, `name()`). */
  calls: Record<string, CallUse[]>;
  /** The specifiers of other files of the project it imports (relative or absolute). */
  localImports: string[];
  /**
   * The non-relative specifiers it imports: packages, or files of the project the module model
   * leads to (tsconfig paths, workspace packages); which of the two is decided at partition time.
   */
  packageImports: string[];
  /** Handles `require` as a value (`const r = require`): it may import any file. */
  holdsRequire: boolean;
  /** For a declaration that only imports packages: the names its initializers read (besides `require`). */
  importOnly?: string[];
  /**
   * The module's own exports, as the evaluator sees them: 'reads' them (`exports` anywhere other
   * than in `exports.name = …`: resolved through every export of the file), or 'writes' them
   * (`exports.name = …`, `module.exports = …` outside functions, or an `export` declaration).
   */
  exports?: 'reads' | 'writes';
}

/**
 * The parts of a file, in source order of their first statements. With the file's part cache, the
 * facts of a statement whose text an earlier version had are not learnt again.
 */
export function partition(sf: ts.SourceFile, project: Pick<Project, 'resolves' | 'importedTexts'>, cache?: PartCache): Part[] {
  const statements = sf.statements;
  const module = ts.isExternalModule(sf) ? 'm' : 's';
  const texts = statements.map((st) => sf.text.slice(st.getStart(sf), st.end));
  const facts = statements.map((st, i) => (cache ? cache.factsOf(st, module + texts[i]) : factsOf(st)));
  const declarers = new Map<string, number[]>();
  facts.forEach((f, i) => f.declares.forEach((name) => (declarers.get(name) ?? declarers.set(name, []).get(name)!).push(i)));
  const escaped = new Set(facts.flatMap((f) => f.escapes));
  // A file that declares its own `require` (`const require = createRequire(…)`, or a half-typed
  // `const x = )require(…)`) decides what every `require(…)` call is: no import is copied apart from it.
  const ownRequire = declarers.has('require');
  // A non-relative import the module model leads to a file of the project is a local one.
  const projectImports = facts.map((f) => f.packageImports.filter((spec) => project.resolves(sf.fileName, spec)));
  const copied = facts.map((f, i) => !ownRequire && !!f.importOnly && projectImports[i]!.length === 0 && f.declares.every((name) => declarers.get(name)!.length === 1 && !escaped.has(name)));
  for (let changed = true; changed; ) {
    changed = false;
    facts.forEach((f, i) => {
      if (copied[i] && f.importOnly!.some((name) => declarers.get(name)?.some((j) => !copied[j]))) {
        copied[i] = false;
        changed = true;
      }
    });
  }
  // Union-find over statements, plus a hub for the statements that import the project's other files.
  const local = statements.length;
  const root = statements.map((_, i) => i).concat([local]);
  const find = (i: number): number => (root[i] === i ? i : (root[i] = find(root[i]!)));
  const union = (a: number, b: number): boolean => {
    const [x, y] = [find(a), find(b)];
    root[x] = y;
    return x !== y;
  };
  const members = facts.map((_, i) => i).filter((i) => !copied[i]);
  // A statement reading the module's exports is one with every statement writing them.
  const exporters = members.filter((i) => facts[i]!.exports);
  if (exporters.some((i) => facts[i]!.exports === 'reads')) for (const i of exporters) union(i, exporters[0]!);
  for (const i of members) {
    const f = facts[i]!;
    // An import that leads nowhere gives no value: the statement stays apart.
    if (f.holdsRequire || projectImports[i]!.length > 0 || f.localImports.some((spec) => project.resolves(sf.fileName, spec))) union(i, local);
    // By the few names declared in the file's scope, not the many each statement names; a name the
    // statement declares again inside (a wrapper's own `fs`) is not the file's.
    for (const [name, js] of declarers) {
      if (!f.names.has(name) || !js.some((j) => j !== i && !copied[j]) || !(f.free ??= freeNames(statements[i]!)).has(name)) continue;
      for (const j of js) if (!copied[j]) union(i, j);
    }
  }
  // The implicit instance: a part that reads a property of it is one with every part that writes
  // that property. A part that holds `this` itself (`var self = this`) may read any property it
  // names, and when it also reaches other files, any property their texts name.
  let imported: string[] | undefined;
  const importedMention = (name: string): boolean => {
    if (!imported) {
      const specs = members.filter((i) => find(i) === find(local)).flatMap((i) => [...facts[i]!.localImports, ...projectImports[i]!]);
      imported = members.some((i) => facts[i]!.holdsRequire) ? undefined : project.importedTexts(sf.fileName, specs);
    }
    return imported === undefined || imported.some((text) => text.includes(name));
  };
  for (let merged = true; merged; ) {
    merged = false;
    const writers = new Map<string, number[]>();
    /** Per part: the methods that return the instance (`return this`): their results are the instance too. */
    const returning = new Map<number, Set<string>>();
    const holders = new Set<number>();
    for (const i of members) {
      const use = facts[i]!.instance;
      if (!use) continue;
      const r = find(i);
      for (const name of use.writes) (writers.get(name) ?? writers.set(name, []).get(name)!).push(r);
      for (const name of use.returns) (returning.get(r) ?? returning.set(r, new Set()).get(r)!).add(name);
      if (use.reads === 'any') holders.add(r);
    }
    // `new F()` of a constructor function declared in the file (not a class): an instance of the implicit instance.
    for (const i of members) {
      const built = facts[i]!.constructs?.some((name) => declarers.get(name)?.some((j) => !ts.isClassDeclaration(statements[j]!)));
      if (built) holders.add(find(i));
    }
    const reads = new Map<number, Set<string>>();
    const readsOf = (r: number) => reads.get(r) ?? reads.set(r, new Set()).get(r)!;
    for (const i of members) {
      const f = facts[i]!;
      const r = find(i);
      if (f.instance && f.instance.reads !== 'any') f.instance.reads.forEach((name) => readsOf(r).add(name));
      const returned = returning.get(r);
      if (!returned) continue;
      // A method that returns the instance, taken as a value (`var m = this.m`): its calls cannot be told.
      if (f.methodValues.some((name) => returned.has(name))) holders.add(r);
      for (const name of returned) {
        for (const use of f.calls[name] ?? []) {
          if (use === 'any' || (use.read && !use.called && returned.has(use.read))) holders.add(r);
          else if (use.read ?? use.write) readsOf(r).add((use.read ?? use.write)!);
        }
      }
    }
    for (const i of members) if (holders.has(find(i))) facts[i]!.props.forEach((name) => readsOf(find(i)).add(name));
    if (holders.has(find(local))) for (const name of writers.keys()) if (importedMention(name)) readsOf(find(local)).add(name);
    for (const [r, names] of reads) {
      for (const [name, ws] of writers) if (names.has(name)) for (const w of ws) merged = union(w, r) || merged;
    }
    // A part that may store any property (the instance handed to a helper that fills it, `X.prototype` as a value) is one with every reader.
    const anyWriters = members.filter((i) => facts[i]!.instance?.writesAny).map(find);
    for (const w of anyWriters) for (const r of [...reads.keys(), ...holders]) merged = union(w, r) || merged;
  }
  const groups = new Map<number, Set<number>>();
  for (const i of members) (groups.get(find(i)) ?? groups.set(find(i), new Set()).get(find(i))!).add(i);
  const parts: Part[] = [];
  for (const group of groups.values()) {
    // Copy in the package imports the part names, and the ones those read.
    const stack = [...group];
    while (stack.length) {
      const names = facts[stack.pop()!]!.names;
      for (const [name, js] of declarers) {
        if (!names.has(name)) continue;
        for (const j of js) {
          if (!copied[j] || group.has(j)) continue;
          group.add(j);
          stack.push(j);
        }
      }
    }
    const members = [...group].sort((a, b) => a - b);
    const starts = members.map((i) => sf.getLineAndCharacterOfPosition(statements[i]!.getStart(sf)));
    const line = starts[0]!.line;
    const key = module + members.map((i, k) => `${starts[k]!.line - line}:${starts[k]!.character}:${texts[i]}`).join('\u0000');
    parts.push({ statements: members.map((i) => statements[i]!), key, line });
  }
  return parts;
}

/** Facts of a statement in an anonymous wrapper's body (what it declares is the wrapper's: not merged), with the names its value uses are judged by. */
type InnerFacts = Facts & { identifierValues: Set<string>; functionNames: Set<string>; readsExports: boolean };

/**
 * The facts of the statements of anonymous wrappers' bodies (`(function () { … })()`), by node: the
 * incremental parser keeps the nodes an edit did not touch, so an edit inside a wrapped module walks
 * only the statement of its body it touched.
 */
const innerMemo = new WeakMap<ts.Statement, InnerFacts>();

function innerFactsOf(statement: ts.Statement): InnerFacts {
  let facts = innerMemo.get(statement);
  if (!facts) innerMemo.set(statement, (facts = factsOf(statement, true) as InnerFacts));
  return facts;
}

/**
 * What a top-level statement declares, names and does with the file's instance; `inner` for a
 * statement of an anonymous wrapper's body (inside a function, with the wrapper's own instance).
 */
function factsOf(statement: ts.Statement, inner = false): Facts {
  const names = new Set<string>();
  const props = new Set<string>();
  const declares = new Set<string>();
  const escapes = new Set<string>();
  const reads = new Set<string>();
  const writes = new Set<string>();
  let readsAny = false;
  let writesAny = false;
  const constructs = new Set<string>();
  let usesInstance = false;
  /** Local variables that hold `this` (`var self = this`), and every local variable name. */
  const aliases = new Set<string>();
  const locals = new Set<string>();
  const thisUses: InstanceUse[] = [];
  const returns = new Set<string>();
  const methodValues = new Set<string>();
  const identifierValues = new Set<string>();
  const functionNames = new Set<string>();
  const selfNames: string[] = [];
  const calls: Record<string, CallUse[]> = Object.create(null);
  /** Function declarations by name; undefined for a name declared twice (which one is called is unknown). */
  const functions = new Map<string, ts.FunctionDeclaration | undefined>();
  /** Every declaration of a name in the statement: its initializer (undefined for a parameter or function). */
  const initializers = new Map<string, Array<ts.Expression | undefined>>();
  const localImports: string[] = [];
  const packageImports: string[] = [];
  const noteImport = (spec: ts.Expression | undefined): void => {
    if (spec && isLocalSpecifier(spec)) localImports.push(spec.text);
    else if (spec && ts.isStringLiteralLike(spec)) packageImports.push(spec.text);
  };
  let holdsRequire = false;
  let readsExports = false;
  let writesExports = false;
  const declare = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) declares.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) declare(el.name);
  };
  let inFunction = inner;
  // Whether `this` here is a class's or an object literal's, not the file's implicit instance.
  let ownThis = false;
  // Inside the statement's wrapper function, the implicit instance is the wrapper's.
  const wrapper = inner ? undefined : wrappedFunction(statement);
  let inWrapper = inner;
  const body = wrapper && !wrapper.name ? wrapper.body : undefined;
  const visit = (n: ts.Node): void => {
    if (n.kind >= ts.SyntaxKind.FirstTypeNode && n.kind <= ts.SyntaxKind.LastTypeNode) return;
    if (n === body) {
      for (const st of body.statements) {
        const f = innerFactsOf(st);
        f.names.forEach((name) => names.add(name));
        f.props.forEach((name) => props.add(name));
        f.escapes.forEach((name) => escapes.add(name));
        f.methodValues.forEach((name) => methodValues.add(name));
        f.identifierValues.forEach((name) => identifierValues.add(name));
        f.functionNames.forEach((name) => functionNames.add(name));
        for (const name in f.calls) (calls[name] ??= []).push(...f.calls[name]!);
        localImports.push(...f.localImports);
        packageImports.push(...f.packageImports);
        holdsRequire ||= f.holdsRequire;
        readsExports ||= f.readsExports;
      }
      return;
    }
    switch (n.kind) {
      case ts.SyntaxKind.Identifier: {
        const id = n as ts.Identifier;
        const p = id.parent;
        if (ts.isPropertyAccessExpression(p) && p.name === id) {
          props.add(id.text);
          // `X.prototype` as a value (handed to a helper that defines methods on it): any property may be stored.
          if (!inWrapper && id.text === 'prototype' && !isObjectOfAccess(p)) {
            usesInstance = true;
            readsAny = true;
            writesAny = true;
          }
          // `X.prototype.name = …`: a method of the implicit instance.
          if (!inWrapper && ts.isPropertyAccessExpression(p.expression) && p.expression.name.text === 'prototype' && isAssigned(p)) {
            usesInstance = true;
            writes.add(id.text);
          }
          return;
        }
        names.add(id.text);
        if (id.text === 'exports' || id.text === 'module') {
          if (!assignsExport(id)) readsExports ||= id.text === 'exports';
          else if (!inFunction) writesExports = true;
        }
        const e = outermost(id);
        const q = e.parent;
        const isCallee = q && (ts.isCallExpression(q) || ts.isNewExpression(q)) && q.expression === e;
        if (id.text === 'require' && !isCallee) holdsRequire = true;
        // A function expression's own name is seen only inside it.
        if (!isCallee && !isDeclarationName(id)) (selfNames.includes(id.text) ? methodValues : identifierValues).add(id.text);
        if (q && ts.isBinaryExpression(q) && q.left === e && isAssignmentOperator(q.operatorToken.kind)) escapes.add(id.text);
        else if (inAssignmentPattern(e)) escapes.add(id.text);
        if (q && (ts.isCallExpression(q) || ts.isNewExpression(q)) && q.arguments?.includes(e as ts.Expression)) escapes.add(id.text);
        return;
      }
      case ts.SyntaxKind.ThisKeyword: {
        if (ownThis || inWrapper) return;
        usesInstance = true;
        thisUses.push(instanceUse(n));
        return;
      }
      case ts.SyntaxKind.ElementAccessExpression: {
        const name = propertyRead(n, (n as ts.ElementAccessExpression).expression);
        if (name !== undefined) props.add(name);
        break;
      }
      case ts.SyntaxKind.BindingElement: {
        // `const { name } = x` reads x.name.
        const el = n as ts.BindingElement;
        const key = el.propertyName ?? el.name;
        if (ts.isIdentifier(key) || ts.isStringLiteral(key)) props.add(key.text);
        break;
      }
      case ts.SyntaxKind.VariableDeclaration: {
        const d = n as ts.VariableDeclaration;
        const list = d.parent;
        const isVar = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.BlockScoped) === 0;
        if ((isVar && !inFunction) || list.parent === statement) declare(d.name);
        else if (ts.isIdentifier(d.name)) locals.add(d.name.text);
        if (ts.isIdentifier(d.name)) (initializers.get(d.name.text) ?? initializers.set(d.name.text, []).get(d.name.text)!).push(d.initializer);
        break;
      }
      case ts.SyntaxKind.Parameter: {
        const name = (n as ts.ParameterDeclaration).name;
        if (ts.isIdentifier(name)) {
          locals.add(name.text);
          (initializers.get(name.text) ?? initializers.set(name.text, []).get(name.text)!).push(undefined);
        }
        break;
      }
      case ts.SyntaxKind.FunctionDeclaration:
        const fn = n as ts.FunctionDeclaration;
        if (fn.name) {
          functionNames.add(fn.name.text);
          functions.set(fn.name.text, functions.has(fn.name.text) ? undefined : fn);
          (initializers.get(fn.name.text) ?? initializers.set(fn.name.text, []).get(fn.name.text)!).push(undefined);
        }
      // falls through
      case ts.SyntaxKind.ClassDeclaration: {
        const name = (n as ts.FunctionDeclaration | ts.ClassDeclaration).name;
        if (n === statement && name) declares.add(name.text);
        break;
      }
      case ts.SyntaxKind.ImportEqualsDeclaration:
        declares.add((n as ts.ImportEqualsDeclaration).name.text);
        break;
      case ts.SyntaxKind.ImportClause:
      case ts.SyntaxKind.NamespaceImport:
      case ts.SyntaxKind.ImportSpecifier: {
        const name = (n as ts.ImportClause | ts.NamespaceImport | ts.ImportSpecifier).name;
        if (name) declares.add(name.text);
        break;
      }
      case ts.SyntaxKind.NewExpression: {
        const callee = skipOuter((n as ts.NewExpression).expression);
        if (!inWrapper && ts.isIdentifier(callee)) constructs.add(callee.text);
        break;
      }
      case ts.SyntaxKind.CallExpression: {
        const c = n as ts.CallExpression;
        const callee = skipOuter(c.expression);
        const isImport = callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
        const called = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
        if (called !== undefined) (calls[called] ??= []).push(callUse(c));
        if (isImport) noteImport(c.arguments[0]);
        break;
      }
      case ts.SyntaxKind.ExternalModuleReference:
        noteImport((n as ts.ExternalModuleReference).expression);
        break;
      case ts.SyntaxKind.ImportDeclaration:
      case ts.SyntaxKind.ExportDeclaration: {
        const d = n as ts.ImportDeclaration | ts.ExportDeclaration;
        // `import type …` brings no value: it joins nothing.
        if (!(ts.isImportDeclaration(d) ? d.importClause?.isTypeOnly : d.isTypeOnly)) noteImport(d.moduleSpecifier);
        break;
      }
    }
    const wasInFunction = inFunction;
    const hadOwnThis = ownThis;
    const wasInWrapper = inWrapper;
    inWrapper ||= n === wrapper;
    const scope = isFunctionScope(n);
    // The evaluator's rule for `this`: a class's, an object literal method's, an arrow's enclosing one, else the file's.
    if (ts.isClassLike(n)) ownThis = true;
    else if (scope && !ts.isArrowFunction(n)) ownThis = ts.isClassLike(n.parent) || ts.isObjectLiteralExpression(n.parent);
    inFunction ||= scope;
    const selfName = ts.isFunctionExpression(n) ? n.name?.text : undefined;
    if (selfName) selfNames.push(selfName);
    ts.forEachChild(n, visit);
    if (selfName) selfNames.pop();
    inFunction = wasInFunction;
    ownThis = hadOwnThis;
    inWrapper = wasInWrapper;
  };
  visit(statement);
  /** A local variable that only ever holds a package's export (`var vary = require('vary')`). */
  const isPackage = (name: string): boolean => {
    const inits = initializers.get(name);
    return !declares.has(name) && !escapes.has(name) && inits?.length === 1 && inits[0] !== undefined && isPackageValue(inits[0]);
  };
  const handedToPackage = (fn: ts.Node): boolean => {
    let e: ts.Node = fn;
    while (ts.isParenthesizedExpression(e.parent)) e = e.parent;
    const call = e.parent;
    if (!ts.isCallExpression(call) || !call.arguments.includes(e as ts.Expression)) return false;
    let root: ts.Expression = skipOuter(call.expression);
    while (ts.isPropertyAccessExpression(root)) root = skipOuter(root.expression);
    return ts.isIdentifier(root) && isPackage(root.text);
  };
  // What is read through an alias of `this` (a local variable, or a parameter of a local function
  // it is passed to); an alias that is not a local variable could be read anywhere.
  if ([...aliases].some((a) => !locals.has(a) || declares.has(a))) readsAny = true;
  const followed = new Set<string>();
  const follow = (scope: ts.Node, names: Set<string>): void => {
    const visitAlias = (n: ts.Node): void => {
      if (readsAny) return;
      if (ts.isIdentifier(n) && names.has(n.text) && !isDeclarationName(n)) note(instanceUse(n), false);
      ts.forEachChild(n, visitAlias);
    };
    visitAlias(scope);
  };
  const note = (use: InstanceUse, direct: boolean): void => {
    if (use === 'any' || (use.alias && !direct)) readsAny = true;
    else if (use.filled) readsAny = writesAny = true;
    else if (use.alias) aliases.add(use.alias);
    else if (use.returns) returns.add(use.returns);
    // Returned by a function handed to a package (`deprecate.function(function () { return this })`):
    // the evaluator never calls it.
    else if (use.returnedBy && !handedToPackage(use.returnedBy)) readsAny = true;
    else if (use.write) {
      // A write through an alias (`var self = this; self.sock = …`) stores into the instance too.
      writes.add(use.write);
      if (!direct) reads.add(use.write);
    }
    else if (use.read) {
      reads.add(use.read);
      if (!use.called) methodValues.add(use.read);
    } else if (use.passed) {
      const { callee, index } = use.passed;
      // A package's function does not read properties the evaluator knows of.
      if (isPackage(callee)) return;
      const fn = functions.get(callee);
      const param = fn?.parameters[index];
      if (!fn || declares.has(callee) || locals.has(callee) || (param && !ts.isIdentifier(param.name))) readsAny = true;
      else if (param && fn.body && !followed.has(`${callee}:${index}`)) {
        followed.add(`${callee}:${index}`);
        follow(fn.body, new Set([(param.name as ts.Identifier).text]));
      }
    }
  };
  thisUses.forEach((use) => note(use, true));
  if (aliases.size && !readsAny) follow(statement, aliases);
  for (const name of identifierValues) if (functionNames.has(name)) methodValues.add(name);
  const facts: Facts = { names, props: [...props], declares: [...declares], escapes: [...escapes], localImports, packageImports, holdsRequire, methodValues: [...methodValues], calls };
  if (inner) {
    const innerFacts: InnerFacts = { ...facts, identifierValues, functionNames, readsExports };
    return innerFacts;
  }
  if (usesInstance) facts.instance = { reads: readsAny ? 'any' : [...reads], writes: [...writes], returns: [...returns], writesAny };
  if (constructs.size) facts.constructs = [...constructs];
  if (readsExports) facts.exports = 'reads';
  else if (writesExports || isExporting(statement)) facts.exports = 'writes';
  if (!localImports.length && !holdsRequire && !usesInstance && !facts.exports) facts.importOnly = packageImportReads(statement);
  return facts;
}

/** Whether identifier `exports` or `module` starts the target of an export write (`commonJsExport`). */
function assignsExport(id: ts.Identifier): boolean {
  for (let e: ts.Node = id; ts.isPropertyAccessExpression(e.parent) && e.parent.expression === e; ) {
    e = e.parent;
    const assignment = outermost(e).parent;
    if (ts.isBinaryExpression(assignment) && assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken && skipOuter(assignment.left) === e) return commonJsExport(assignment.left) !== undefined;
  }
  return false;
}

/** A target of a destructuring assignment (`[a, b] = …`, `({ a } = …)`): assigned like `a = …`. */
function inAssignmentPattern(e: ts.Node): boolean {
  let n = e;
  while (n.parent && (ts.isArrayLiteralExpression(n.parent) || ts.isObjectLiteralExpression(n.parent) || ts.isShorthandPropertyAssignment(n.parent) || (ts.isPropertyAssignment(n.parent) && n.parent.initializer === n) || ts.isSpreadElement(n.parent) || ts.isSpreadAssignment(n.parent) || ts.isParenthesizedExpression(n.parent))) n = n.parent;
  const a = n.parent;
  return n !== e && !!a && ts.isBinaryExpression(a) && a.left === n && a.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

/** `export …` (a declaration, an assignment, or a list of local names). */
function isExporting(statement: ts.Statement): boolean {
  if (ts.isExportAssignment(statement) || (ts.isExportDeclaration(statement) && !statement.moduleSpecifier)) return true;
  return ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** The names a statement's identifiers read from the file's scope: none of its own scopes declares them (as the evaluator's binder resolves them). */
function freeNames(statement: ts.Statement): Set<string> {
  const scopes = new Scopes(ts.factory.updateSourceFile(statement.getSourceFile(), [statement]));
  const free = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (n.kind >= ts.SyntaxKind.FirstTypeNode && n.kind <= ts.SyntaxKind.LastTypeNode) return;
    if (ts.isIdentifier(n)) {
      if (ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) return;
      const b = scopes.resolve(n);
      if (!b || ts.isSourceFile(b.scope!)) free.add(n.text);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(statement);
  return free;
}

/** The property `parent` reads from `object`, when it is a property access or a literal element access. */
function propertyRead(parent: ts.Node, object: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(parent) && parent.expression === object) return parent.name.text;
  if (ts.isElementAccessExpression(parent) && parent.expression === object) {
    const arg = skipOuter(parent.argumentExpression);
    if (ts.isStringLiteralLike(arg) || ts.isNumericLiteral(arg)) return arg.text;
  }
  return undefined;
}

const LOGICAL = new Set([ts.SyntaxKind.BarBarToken, ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.CommaToken]);

type InstanceUse = { read?: string; called?: boolean; write?: string; alias?: string; passed?: { callee: string; index: number }; returns?: string; returnedBy?: ts.Node; filled?: boolean } | 'any';

/** What partition needs of how a call's result is used, should the call return the instance: 'any' when it is held or handed on. */
type CallUse = { read?: string; called?: boolean; write?: string } | 'any';

function callUse(call: ts.CallExpression): CallUse {
  const use = instanceUse(call);
  return use === 'any' || use.alias || use.passed || use.returns || use.returnedBy || use.filled ? 'any' : { read: use.read, called: use.called, write: use.write };
}

/**
 * How `this` (or an alias of it) is used here: a property read or written, stored in a local
 * variable, passed to a function by name, handed to `f.call`/`f.apply`/`f.bind` (which the
 * evaluator does not follow), or anything else.
 */
function instanceUse(node: ts.Node): InstanceUse {
  const e = outermost(node);
  const p = e.parent;
  const name = propertyRead(p, e);
  if (name !== undefined) {
    if (ts.isPropertyAccessExpression(p) && isAssigned(p)) return { write: name };
    return ts.isCallExpression(p.parent) && p.parent.expression === p ? { read: name, called: true } : { read: name };
  }
  // `this[key]` with a computed key, `this instanceof X`, `this === x`: no property the evaluator follows.
  if (ts.isElementAccessExpression(p) && p.expression === e) return {};
  if (ts.isBinaryExpression(p) && !isAssignmentOperator(p.operatorToken.kind) && !LOGICAL.has(p.operatorToken.kind)) return {};
  if (ts.isVariableDeclaration(p) && p.initializer === e && ts.isIdentifier(p.name)) return { alias: p.name.text };
  if (ts.isBinaryExpression(p) && p.right === e && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = skipOuter(p.left);
    if (ts.isIdentifier(left)) return { alias: left.text };
  }
  if (ts.isCallExpression(p) && p.arguments.includes(e as ts.Expression)) {
    const callee = skipOuter(p.expression);
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'call' || callee.name.text === 'apply' || callee.name.text === 'bind')) return {};
    if (ts.isIdentifier(callee)) return { passed: { callee: callee.text, index: p.arguments.indexOf(e as ts.Expression) } };
    // Handed to another function (`Object.assign(this, opts)`, `Object.defineProperty(this, k, d)`): it may fill any property.
    return { filled: true };
  }
  // Returned: the callers of the function by its name receive it.
  const fn = ts.isReturnStatement(p) ? enclosingFunction(p) : ts.isArrowFunction(p) && p.body === e ? p : undefined;
  if (fn) {
    const method = functionName(fn);
    return method !== undefined ? { returns: method } : { returnedBy: fn };
  }
  return 'any';
}

/** The node with the parentheses and type assertions around `n` (what skipOuter strips). */
function outermost(n: ts.Node): ts.Node {
  let e = n;
  for (;;) {
    switch (e.parent?.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.SatisfiesExpression:
        e = e.parent;
        break;
      default:
        return e;
    }
  }
}

function enclosingFunction(n: ts.Node): ts.Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (isFunctionScope(p)) return p;
  return undefined;
}

/** The name a function is called by: `function m()`, `x.m = function`, `{ m: function }`. */
function functionName(fn: ts.Node): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  let e: ts.Node = fn;
  while (ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const p = e.parent;
  if (ts.isBinaryExpression(p) && p.right === e && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(p.left)) return p.left.name.text;
  if (ts.isPropertyAssignment(p) && p.initializer === e && ts.isIdentifier(p.name)) return p.name.text;
  return undefined;
}

function isDeclarationName(id: ts.Identifier): boolean {
  const p = id.parent;
  if ((p as { name?: ts.Node }).name === id && (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionLike(p) || ts.isClassLike(p))) return true;
  // Assigning the alias (`self = other`) changes what it holds, not the instance.
  const e = outermost(id);
  return ts.isBinaryExpression(e.parent) && e.parent.left === e && isAssignmentOperator(e.parent.operatorToken.kind);
}

/** Whether a property access is the object of another (`X.prototype` in `X.prototype.y`). */
function isObjectOfAccess(access: ts.PropertyAccessExpression): boolean {
  const e = outermost(access);
  return (ts.isPropertyAccessExpression(e.parent) || ts.isElementAccessExpression(e.parent)) && e.parent.expression === e;
}

/** `x.name = …`: the evaluator records these (compound assignments are read as well). */
function isAssigned(access: ts.PropertyAccessExpression): boolean {
  const e = outermost(access);
  return ts.isBinaryExpression(e.parent) && e.parent.left === e && e.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

/** `require('pkg')`, its properties, and calls of those with literal arguments (`require('depd')('send')`). */
function isPackageValue(e0: ts.Expression): boolean {
  const e = skipOuter(e0);
  if (ts.isPropertyAccessExpression(e)) return isPackageValue(e.expression);
  if (!ts.isCallExpression(e) || !e.arguments.every((a) => ts.isStringLiteralLike(a) || ts.isNumericLiteral(a))) return false;
  const callee = skipOuter(e.expression);
  if (ts.isIdentifier(callee) && callee.text === 'require') return e.arguments.length === 1 && !isLocalSpecifier(e.arguments[0]!);
  return isPackageValue(callee);
}

/** A specifier the engine resolves to a file of the project. */
function isLocalSpecifier(e: ts.Expression): e is ts.StringLiteralLike {
  return ts.isStringLiteralLike(e) && (e.text.startsWith('.') || e.text.startsWith('/'));
}

/**
 * For `import … from 'pkg'` and `const x = require('pkg').y, { a, b: c } = other.z`: the names the
 * initializers read; undefined when the statement does anything else.
 */
function packageImportReads(st: ts.Statement): string[] | undefined {
  if (ts.isImportDeclaration(st)) return [];
  if (ts.isImportEqualsDeclaration(st)) return ts.isExternalModuleReference(st.moduleReference) ? [] : undefined;
  if (!ts.isVariableStatement(st)) return undefined;
  const reads: string[] = [];
  const plainPattern = (name: ts.BindingName): boolean =>
    ts.isIdentifier(name) || name.elements.every((el) => ts.isOmittedExpression(el) || (!el.initializer && !(el.propertyName && ts.isComputedPropertyName(el.propertyName)) && plainPattern(el.name)));
  const importValue = (e0: ts.Expression): boolean => {
    const e = skipOuter(e0);
    if (ts.isPropertyAccessExpression(e)) return importValue(e.expression);
    if (ts.isElementAccessExpression(e)) return ts.isStringLiteralLike(skipOuter(e.argumentExpression)) && importValue(e.expression);
    if (ts.isIdentifier(e)) return e.text !== 'require' && reads.push(e.text) > 0;
    return ts.isCallExpression(e) && ts.isIdentifier(skipOuter(e.expression)) && (skipOuter(e.expression) as ts.Identifier).text === 'require' && e.arguments.length === 1 && ts.isStringLiteralLike(e.arguments[0]!);
  };
  return st.declarationList.declarations.every((d) => d.initializer && plainPattern(d.name) && importValue(d.initializer)) ? reads : undefined;
}

/**
 * A part's candidates as kept across versions: a finding in the edited file keeps no tree (the
 * lookup gives it the current one), and its strings are copies, not slices of the text. A tree
 * of an earlier version must not stay reachable: the incremental parser moves its unchanged nodes
 * into every later tree, so one old tree held would keep every version after it.
 */
interface Stored {
  line: number;
  candidates: Array<{ finding: Finding; sf?: ts.SourceFile }>;
  flows: number;
}

/**
 * The findings of one edited file's parts, by part key, and the facts of its statements, by their
 * text (what a statement does depends on nothing else). Holds the facts of its latest version,
 * the findings of its latest version's parts, and those of a few parts of earlier versions that
 * the file no longer has: typing goes back to texts it had a moment ago (backspace, undo, a word
 * deleted and typed again), and a part is found again by its key as when it never changed.
 */
export class PartCache {
  /** False once the file was found to import itself: then it is analysed whole. */
  splittable = true;
  private results = new Map<string, Stored>();
  private next = new Map<string, Stored>();
  /** Parts of earlier versions, not in the latest one, least recently seen first (bounded: RECENT_PARTS, RECENT_KEY_CHARS). */
  private recent = new Map<string, Stored>();
  private recentChars = 0;
  private facts = new Map<string, Facts>();
  private nextFacts = new Map<string, Facts>();

  /** The facts of a statement, by its text (prefixed by the file's kind: module or script). */
  factsOf(statement: ts.Statement, text: string): Facts {
    const facts = this.facts.get(text) ?? this.nextFacts.get(text) ?? factsOf(statement);
    this.nextFacts.set(text, facts);
    return facts;
  }

  /** A part's candidates from an earlier version, moved to where the part is now. */
  lookup(part: Part, sf: ts.SourceFile): { candidates: Candidate[]; flows: number } | undefined {
    const stored = this.results.get(part.key) ?? this.recent.get(part.key);
    if (!stored) return undefined;
    this.next.set(part.key, stored);
    const delta = part.line - stored.line;
    if (delta === 0) return { candidates: stored.candidates.map((c) => ({ finding: c.finding, sf: c.sf ?? sf })), flows: stored.flows };
    const move = (l: Location): Location => (l.fileName === sf.fileName ? { fileName: l.fileName, range: moved(l.range, delta) } : l);
    const candidates = stored.candidates.map((c): Candidate => {
      const f = c.finding;
      if (f.fileName !== sf.fileName && f.steps.every((s) => s.location.fileName !== sf.fileName)) return { finding: f, sf: c.sf ?? sf };
      const finding: Finding = {
        ...f,
        range: f.fileName === sf.fileName ? moved(f.range, delta) : f.range,
        steps: f.steps.map((s) => ({ ...s, location: move(s.location) })),
        sink: { ...f.sink, location: move(f.sink.location) },
      };
      return { finding, sf: c.sf ?? sf };
    });
    return { candidates, flows: stored.flows };
  }

  /** Keeps a part's candidates, found in `sf` (the edited file's tree), for the next version. */
  store(part: Part, sf: ts.SourceFile, candidates: Candidate[], flows: number): void {
    // Another file's tree is current while this cache lives: a change to any other file drops it.
    const kept = candidates.map((c) => ({ finding: detachedFinding(c.finding), sf: c.sf.fileName === sf.fileName ? undefined : c.sf }));
    this.next.set(part.key, { line: part.line, candidates: kept, flows });
  }

  /** Ends an analysis: the parts of the version just analysed are kept, and the parts it no longer has join the recent ones. */
  commit(): void {
    for (const key of this.next.keys()) this.forgetRecent(key);
    for (const [key, stored] of this.results) {
      if (this.next.has(key)) continue;
      this.forgetRecent(key);
      this.recent.set(key, stored);
      this.recentChars += key.length;
    }
    for (const key of this.recent.keys()) {
      if (this.recent.size <= RECENT_PARTS && this.recentChars <= RECENT_KEY_CHARS) break;
      this.forgetRecent(key);
    }
    this.results = this.next;
    this.next = new Map();
    this.facts = this.nextFacts;
    this.nextFacts = new Map();
  }

  private forgetRecent(key: string): void {
    if (this.recent.delete(key)) this.recentChars -= key.length;
  }
}

/**
 * How many parts of earlier versions a file keeps, and how many characters of their keys (the
 * texts of their statements) at most: enough for a statement typed and erased again, bounded
 * however long the file is edited.
 */
const RECENT_PARTS = 64;
const RECENT_KEY_CHARS = 2_000_000;

/**
 * A copy of a finding whose strings do not hold on to the text they were cut from: V8 keeps a
 * substring of 13 characters or more as a slice of its parent, so a message quoting code would
 * keep the whole text of the version it was found in.
 */
function detachedFinding(f: Finding): Finding {
  const location = (l: Location): Location => ({ fileName: detached(l.fileName), range: l.range });
  return {
    ...f,
    fileName: detached(f.fileName),
    message: detached(f.message),
    steps: f.steps.map((s) => ({ location: location(s.location), message: detached(s.message) })),
    sink: { ...f.sink, location: location(f.sink.location) },
  };
}

function moved(r: Range, delta: number): Range {
  return { start: { line: r.start.line + delta, character: r.start.character }, end: { line: r.end.line + delta, character: r.end.character } };
}
