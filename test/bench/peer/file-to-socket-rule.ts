/**
 * The peer's rule: the same question the engine asks, answered the way an ESLint rule would,
 * so the peer does comparable work (parse + scope analysis + a flow check), not just a parse.
 *
 * It resolves `fs` through `require`/`import` (fs, node:fs, fs/promises, graceful-fs, fs-extra;
 * namespaces, `.promises`, destructured and named imports) with ESLint's scope manager, finds
 * calls of readFile / readFileSync / createReadStream, follows their result through variables,
 * aliases, `await`, `.then` and the readFile callback, and reports when it reaches a
 * `.end(x)` / `.write(x)` / `.send(x)` argument or `.pipe(...)`.
 */
import type { Rule, Scope } from 'eslint';
import type * as ESTree from 'estree';

const FS_MODULES = new Set(['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'graceful-fs', 'fs-extra']);
const SOURCE_FUNCTIONS = new Set(['readFile', 'readFileSync', 'createReadStream']);
const SEND_METHODS = new Set(['end', 'write', 'send']);

type Node = ESTree.Node & Rule.NodeParentExtension;

function findVariable(scope: Scope.Scope | null, name: string): Scope.Variable | undefined {
  for (let s = scope; s; s = s.upper) {
    const v = s.set.get(name);
    if (v) return v;
  }
  return undefined;
}

function propertyName(node: ESTree.MemberExpression): string | undefined {
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.computed && node.property.type === 'Literal' && typeof node.property.value === 'string') return node.property.value;
  return undefined;
}

function stringLiteral(node: ESTree.Node | undefined): string | undefined {
  return node?.type === 'Literal' && typeof node.value === 'string' ? node.value : undefined;
}

export const fileToSocketRule: Rule.RuleModule = {
  meta: {
    type: 'suggestion',
    docs: { description: 'file bytes read through JavaScript and written to a socket or response' },
    schema: [],
    messages: { copy: '`{{source}}` result reaches `{{sink}}`: the file bytes are copied through JavaScript.' },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    /** Variables holding an fs module object (or its `.promises`). */
    const fsObjects = new Set<Scope.Variable>();
    /** Variables holding a source function itself (destructured or imported by name). */
    const sourceFunctions = new Map<Scope.Variable, string>();
    const candidateCalls: ESTree.CallExpression[] = [];

    function isRealRequireOfFs(node: ESTree.Node | null | undefined): boolean {
      if (node?.type !== 'CallExpression' || node.callee.type !== 'Identifier' || node.callee.name !== 'require') return false;
      const name = stringLiteral(node.arguments[0] as ESTree.Node | undefined);
      if (!name || !FS_MODULES.has(name)) return false;
      const v = findVariable(sourceCode.getScope(node), 'require');
      return !v || v.defs.length === 0; // a local `require` is someone else's function
    }

    /** `require('fs')`, `require('fs').promises`, `fs`, `fs.promises` where fs is known. */
    function isFsObject(node: ESTree.Node): boolean {
      if (isRealRequireOfFs(node)) return true;
      if (node.type === 'Identifier') {
        const v = findVariable(sourceCode.getScope(node), node.name);
        return !!v && fsObjects.has(v);
      }
      if (node.type === 'MemberExpression' && propertyName(node) === 'promises') return isFsObject(node.object);
      return false;
    }

    function declaredVariable(id: ESTree.Node): Scope.Variable | undefined {
      return id.type === 'Identifier' ? findVariable(sourceCode.getScope(id), id.name) : undefined;
    }

    function bindPattern(pattern: ESTree.Pattern, init: ESTree.Node): void {
      if (pattern.type === 'Identifier') {
        const v = declaredVariable(pattern);
        if (v && isFsObject(init)) fsObjects.add(v);
        return;
      }
      if (pattern.type !== 'ObjectPattern' || !isFsObject(init)) return;
      for (const prop of pattern.properties) {
        if (prop.type !== 'Property' || prop.key.type !== 'Identifier') continue;
        const v = declaredVariable(prop.value.type === 'AssignmentPattern' ? prop.value.left : prop.value);
        if (!v) continue;
        if (prop.key.name === 'promises') fsObjects.add(v);
        else if (SOURCE_FUNCTIONS.has(prop.key.name)) sourceFunctions.set(v, prop.key.name);
      }
    }

    /** Which source function a call invokes, if it is one. */
    function sourceOf(call: ESTree.CallExpression): string | undefined {
      const callee = call.callee;
      if (callee.type === 'MemberExpression') {
        const name = propertyName(callee);
        return name && SOURCE_FUNCTIONS.has(name) && isFsObject(callee.object) ? name : undefined;
      }
      if (callee.type === 'Identifier') {
        const v = findVariable(sourceCode.getScope(callee), callee.name);
        return v ? sourceFunctions.get(v) : undefined;
      }
      return undefined;
    }

    /**
     * Where does the value at `node` go next? Reports a sink, or returns the variables it flows into.
     * Looks through `await`, `.then(cb)` and aliases (`const b = a`, `b = a`).
     */
    function follow(node: Node, report: (sink: string) => void, track: (v: Scope.Variable) => void): void {
      let at: Node = node;
      while (at.parent && (at.parent.type === 'AwaitExpression' || at.parent.type === 'ChainExpression')) at = at.parent as Node;
      const parent = at.parent as Node | undefined;
      if (!parent) return;
      if (parent.type === 'CallExpression' && parent.arguments.includes(at as ESTree.Expression)) {
        if (parent.callee.type === 'MemberExpression') {
          const method = propertyName(parent.callee);
          if (method && SEND_METHODS.has(method)) report(`.${method}()`);
        }
        return;
      }
      if (parent.type === 'MemberExpression' && parent.object === at) {
        const method = propertyName(parent);
        const call = parent.parent as Node;
        if (call.type !== 'CallExpression' || call.callee !== parent) return;
        if (method === 'pipe') report('.pipe()');
        else if (method === 'then') {
          const cb = call.arguments[0];
          if (cb && (cb.type === 'ArrowFunctionExpression' || cb.type === 'FunctionExpression') && cb.params[0]) {
            const v = declaredVariable(cb.params[0]);
            if (v) track(v);
          }
        }
        return;
      }
      if (parent.type === 'VariableDeclarator' && parent.init === at) {
        const v = declaredVariable(parent.id);
        if (v) track(v);
        return;
      }
      if (parent.type === 'AssignmentExpression' && parent.right === at) {
        const v = declaredVariable(parent.left);
        if (v) track(v);
      }
    }

    function checkFlow(call: ESTree.CallExpression, source: string): void {
      let reported = false;
      const report = (sink: string): void => {
        if (reported) return;
        reported = true;
        context.report({ node: call.callee, messageId: 'copy', data: { source, sink } });
      };
      const seen = new Set<Scope.Variable>();
      const work: Scope.Variable[] = [];
      const track = (v: Scope.Variable): void => {
        if (!seen.has(v)) {
          seen.add(v);
          work.push(v);
        }
      };
      follow(call as Node, report, track);
      if (source === 'readFile') {
        const cb = call.arguments[call.arguments.length - 1];
        if (cb && (cb.type === 'ArrowFunctionExpression' || cb.type === 'FunctionExpression') && cb.params[1]) {
          const v = declaredVariable(cb.params[1]);
          if (v) track(v);
        }
      }
      while (work.length > 0 && !reported) {
        const v = work.pop()!;
        for (const ref of v.references) if (ref.isRead()) follow(ref.identifier as Node, report, track);
      }
    }

    return {
      VariableDeclarator(node) {
        if (node.init) bindPattern(node.id, node.init);
      },
      ImportDeclaration(node) {
        const from = stringLiteral(node.source);
        if (!from || !FS_MODULES.has(from)) return;
        for (const spec of node.specifiers) {
          const v = declaredVariable(spec.local);
          if (!v) continue;
          if (spec.type !== 'ImportSpecifier') fsObjects.add(v);
          else {
            const imported = spec.imported.type === 'Identifier' ? spec.imported.name : String(spec.imported.value);
            if (imported === 'promises') fsObjects.add(v);
            else if (SOURCE_FUNCTIONS.has(imported)) sourceFunctions.set(v, imported);
          }
        }
      },
      CallExpression(node) {
        const c = node.callee;
        const name = c.type === 'MemberExpression' ? propertyName(c) : c.type === 'Identifier' ? c.name : undefined;
        if (name) candidateCalls.push(node);
      },
      // Bindings can be declared after their use (hoisting), so calls are resolved at the end.
      'Program:exit'() {
        for (const call of candidateCalls) {
          const source = sourceOf(call);
          if (source) checkFlow(call, source);
        }
      },
    };
  },
};
