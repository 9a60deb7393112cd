/**
 * A synthetic project for the name lookup's scaling: N files in which many define the same method
 * names (`read`, `open`, `get`, `load`, `fetch`), as a large monorepo does, and a few of them hand out
 * a file source under those names — directly, or through a wrapper that forwards to another object.
 * Deterministic (seeded), kept in memory: the bench measures the engine, not the disk.
 */

/** What the project holds, to check the analysis found what it should. */
export interface SyntheticProject {
  files: Map<string, string>;
  /** Files whose handler calls a method by name on an injected object. */
  handlers: string[];
  /** The files that really hand a source out under a name some handler calls (a finding is expected in each). */
  readers: string[];
}

// Names a method on an unknown object may be looked up by (not those of built-in objects: `get`, `open`, `resolve`).
const NAMES = ['read', 'load', 'fetch', 'stream', 'download', 'serve', 'openFile', 'getFile'];

export function syntheticProject(count: number, seed = 1): SyntheticProject {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const files = new Map<string, string>();
  const handlers: string[] = [];
  const readers: Array<{ file: string; name: string }> = [];
  const called = new Set<string>();
  for (let i = 0; i < count; i++) {
    const dir = `/mono/packages/pkg${Math.floor(i / 200)}/src`;
    const r = next();
    const name = pick(NAMES);
    if (r < 0.01) {
      // A handler: a method called on an object it is given.
      const file = `${dir}/routes/route${i}.js`;
      files.set(file, `module.exports = function route${i}(store, req, res) {\n  const stream = store.${name}(req.url);\n  stream.pipe(res);\n};\n`);
      handlers.push(file);
      called.add(name);
    } else if (r < 0.02) {
      // A store that reads files and hands a stream out under a common name.
      const file = `${dir}/stores/disk${i}.js`;
      files.set(file, `const fs = require('fs');\nclass Disk${i} {\n  constructor(root) { this.root = root; }\n  ${name}(p) { return fs.createReadStream(this.root + p); }\n}\nmodule.exports = Disk${i};\n`);
      readers.push({ file, name });
    } else if (r < 0.04) {
      // A wrapper that never touches fs: it forwards to another object.
      const file = `${dir}/services/service${i}.js`;
      files.set(file, `class Service${i} {\n  constructor(inner) { this.inner = inner; }\n  ${name}(p) { return this.inner.${pick(NAMES)}(p); }\n}\nmodule.exports = Service${i};\n`);
    } else if (r < 0.3) {
      // A file that defines the same names and reads no file (caches, clients, models).
      const file = `${dir}/models/model${i}.js`;
      const methods = [pick(NAMES), pick(NAMES)].map((m) => `  ${m}(key) { return this.items.get(key) ?? null; }`).join('\n');
      files.set(file, `class Model${i} {\n  constructor() { this.items = new Map(); }\n${methods}\n}\nmodule.exports = Model${i};\n`);
    } else {
      // Everything else: utilities that call methods by name.
      const file = `${dir}/util/util${i}.js`;
      files.set(file, `exports.util${i} = function (x, y) {\n  const a = x.${pick(NAMES)}(y);\n  const b = [a, y].map((v) => String(v).trim());\n  return b.join('-') + '${i}';\n};\n`);
    }
  }
  return { files, handlers, readers: readers.filter((r) => called.has(r.name)).map((r) => r.file) };
}
