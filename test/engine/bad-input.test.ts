import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { analysisHeapBytes, analyzeFile, Project } from '../../server/src/engine';
import { parse } from '../../server/src/engine/parse';
import { partition } from '../../server/src/engine/parts';
import { MAX_HANDING_CANDIDATES } from '../../server/src/engine/methods';
import { chargeEvaluationBudget, withEvaluationBudget } from '../../server/src/engine/evaluator';
import { repoPath } from './repo';

const HEADER = "const fs = require('fs');\nconst http = require('http');\n";
const FINDING = "http.createServer((req, res) => { fs.createReadStream('/srv/a.bin').pipe(res); });\n";

describe('bad input', () => {
  it('a syntax error while typing still gives the findings of what parses', () => {
    const text = HEADER + FINDING + 'function half( { if (x ';
    const r = analyzeFile('/p/typing.js', text);
    assert.equal(r.skipped, undefined);
    assert.deepEqual(r.findings.map((f) => [f.rule, f.range.start.line]), [['stream-to-socket', 2]]);
  });

  it('a file over the size limit is skipped with a reason, not parsed', () => {
    const text = HEADER + FINDING + 'a=1;'.repeat(13_000_000); // a 52 MB minified bundle
    const r = analyzeFile('/p/bundle.min.js', text);
    assert.deepEqual(r.findings, []);
    assert.match(r.skipped?.reason ?? '', /over the limit of 2000000/);
  });

  it('the size limit is a setting', () => {
    const r = analyzeFile('/p/small.js', HEADER + FINDING, { maxFileSize: 50 });
    assert.deepEqual(r.findings, []);
    assert.match(r.skipped?.reason ?? '', /over the limit of 50/);
  });

  it('a file whose analysis needs more heap than the caller has left is skipped with the reason; one that cannot reach fs is not', () => {
    const text = HEADER + FINDING;
    const need = analysisHeapBytes(text.length);
    const r = analyzeFile('/p/big.js', text, { heapBudget: need - 1 });
    assert.deepEqual(r.findings, []);
    assert.match(r.skipped?.reason ?? '', /^too large to analyse in the memory left: about \d+ MB needed, \d+ MB left/);
    assert.equal(analyzeFile('/p/big.js', text, { heapBudget: need }).findings.length, 1);
    // Not parsed at all, so no memory needed.
    assert.deepEqual(analyzeFile('/p/plain.js', 'const a = 1;\n', { heapBudget: 0 }), { findings: [] });
  });

  it('a binary file with a .js name is skipped as binary', () => {
    const text = HEADER + '\u0000\u0001\u0002\u00ff'.repeat(1000);
    const r = analyzeFile('/p/image.js', text);
    assert.deepEqual(r.findings, []);
    assert.match(r.skipped?.reason ?? '', /binary/);
  });

  it('10,000 nested parentheses are skipped with a reason, never a stack overflow', () => {
    const text = HEADER + 'const x = ' + '('.repeat(10_000) + '1' + ')'.repeat(10_000) + ';\n' + FINDING;
    const r = analyzeFile('/p/deep.js', text);
    assert.deepEqual(r.findings, []);
    assert.match(r.skipped?.reason ?? '', /nested 10000 deep/);
  });

  it('nesting under the limit is analysed', () => {
    const text = HEADER + 'const x = ' + '('.repeat(200) + '1' + ')'.repeat(200) + ';\n' + FINDING;
    const r = analyzeFile('/p/deep.js', text);
    assert.equal(r.findings.length, 1);
  });
  it("a class whose copy method fills a new instance from this one's fields is analysed, not skipped as too deeply nested", () => {
    // `copy[k] = this[k]`: a field of a Box instance is whatever a Box instance's field holds, which
    // asks the same question again; unguarded, that ran the call stack out (undici's Request#clone in a bundle).
    const text =
      HEADER +
      'class Box {\n' +
      '  constructor(data) { this.data = data; }\n' +
      '  copy() {\n' +
      '    const twin = new Box();\n' +
      '    for (const k of Object.keys(this)) twin[k] = this[k];\n' +
      '    return twin;\n' +
      '  }\n' +
      '}\n' +
      "http.createServer((req, res) => { res.end(new Box(fs.readFileSync('/srv/a.bin')).copy().data); });\n";
    const r = analyzeFile('/p/box.js', text);
    assert.equal(r.skipped, undefined);
    assert.deepEqual(r.findings.map((f) => [f.rule, f.range.start.line, f.recommendation]), [['read-then-send', 10, 'sendfile']]);
  });


  it("a recursive walker that pushes its own results onto its list is analysed, not skipped as too deeply nested", () => {
    // `results.push(...(await walk(sub)))` inside `walk`: what is pushed onto the list is what `walk`
    // returns, which is that list again; unguarded, that ran the call stack out (a codemod's file walker).
    const text =
      HEADER +
      'async function walk(dir) {\n' +
      '  const results = [];\n' +
      '  for (const name of fs.readdirSync(dir)) {\n' +
      "    if (name.endsWith('/')) { results.push(...(await walk(dir + name))); continue; }\n" +
      "    results.push({ name, bytes: fs.readFileSync(dir + name) });\n" +
      '  }\n' +
      '  return results;\n' +
      '}\n' +
      "http.createServer(async (req, res) => { const all = await walk('/srv/'); all.forEach((f) => res.write(f.bytes)); res.end(); });\n";
    const r = analyzeFile('/p/walk.js', text);
    assert.equal(r.skipped, undefined);
    assert.deepEqual(r.findings.map((f) => [f.rule, f.range.start.line, f.recommendation]), [['read-then-send', 6, 'sendfile']]);
  });
  it('an edit that nests deeper than the limit is skipped; one that adds no bracket is analysed', () => {
    const deep = (n: number) => 'const x = ' + '('.repeat(n) + '1' + ')'.repeat(n) + ';\n';
    const project = new Project({ getText: () => undefined });
    let text = HEADER + deep(400) + FINDING;
    assert.equal(analyzeFile('/p/deep.js', text, { project }).findings.length, 1);
    text = text.replace('1)', '('.repeat(101) + '1' + ')'.repeat(101) + ')');
    assert.match(analyzeFile('/p/deep.js', text, { project }).skipped?.reason ?? '', /nested 501 deep/);
    text = HEADER + deep(400) + FINDING;
    assert.equal(analyzeFile('/p/deep.js', text, { project }).findings.length, 1);
    text = text.replace('const x', 'const xy');
    assert.equal(analyzeFile('/p/deep.js', text, { project }).findings.length, 1);
  });

  it('a file that cannot reach fs is not parsed at all (and has no findings)', () => {
    const r = analyzeFile('/p/pure.js', "const http = require('http');\nhttp.createServer((q, s) => s.end('hi'));\n");
    assert.deepEqual(r, { findings: [] });
  });
});

describe('incremental analysis', () => {
  it('after a series of edits, the result equals a fresh analysis of the final text', () => {
    const project = new Project({ getText: () => undefined });
    let text = HEADER + FINDING + "http.createServer((req, res) => { res.end(fs.readFileSync('/srv/b')); });\n";
    analyzeFile('/p/edit.js', text, { project });
    const edits: Array<(t: string) => string> = [
      (t) => t.replace("'/srv/b'", "'/srv/bb'"),
      (t) => t.replace('res.end(', 'res.end(zlib.gzipSync(') .replace("'/srv/bb'));", "'/srv/bb')));"),
      (t) => 'const zlib = require("zlib");\n' + t,
      (t) => t + "function later(res) { fs.createReadStream('/x').pipe(res); }\n",
      (t) => t.replace('.pipe(res); });\nhttp', '.pipe(res); });\n\n\nhttp'),
    ];
    for (const edit of edits) {
      text = edit(text);
      const incremental = analyzeFile('/p/edit.js', text, { project });
      const fresh = analyzeFile('/p/edit.js', text);
      assert.deepEqual(incremental, fresh);
    }
    assert.deepEqual(
      analyzeFile('/p/edit.js', text, { project }).findings.map((f) => f.rule),
      ['stream-to-socket', 'stream-to-socket'],
    );
  });

  it("each CommonJS export form carries a helper's read to its importer; a nested property is not an export", () => {
    const server = "const http = require('http');\nconst { load } = require('./lib');\nhttp.createServer((req, res) => res.end(load('/x')));\n";
    const read = "const fs = require('fs');\n";
    const found = (lib: string) => {
      const project = new Project({ getText: (f) => (f === '/p/lib.js' ? lib : undefined) });
      return analyzeFile('/p/server.js', server, { project }).findings.map((f) => [f.rule, f.fileName]);
    };
    for (const form of ['exports.load = (p) => fs.readFileSync(p);', 'module.exports.load = (p) => fs.readFileSync(p);', 'module.exports = { load: (p) => fs.readFileSync(p) };', '(exports.load) = (p) => fs.readFileSync(p);']) {
      assert.deepEqual(found(read + form + '\n'), [['read-then-send', '/p/lib.js']], form);
    }
    assert.deepEqual(found(read + 'exports.x = {};\nexports.x.load = (p) => fs.readFileSync(p);\n'), []);
  });

  it('a module added to a folder a computed require looks into re-analyses the requiring file and its importers', () => {
    const files = new Map<string, string>([
      ['/p/stores/memory.js', 'exports.load = (p) => Buffer.from(p);\n'],
      ['/p/store.js', "const store = require('./stores/' + process.env.STORE);\nmodule.exports = (p) => store.load(p);\n"],
    ]);
    let listing = ['/p/server.js', ...files.keys()];
    const project = new Project({ getText: (f) => files.get(f), list: () => listing });
    const server = "const http = require('http');\nconst load = require('./store');\nhttp.createServer((req, res) => res.end(load(req.url))).listen(8080);\n";
    assert.deepEqual(analyzeFile('/p/server.js', server, { project }).findings, []);
    files.set('/p/stores/disk.js', "const fs = require('fs');\nexports.load = (p) => fs.readFileSync('/srv' + p);\n");
    listing = [...listing, '/p/stores/disk.js'];
    project.invalidate('/p/stores/disk.js');
    assert.deepEqual(analyzeFile('/p/server.js', server, { project }).findings.map((f) => [f.rule, f.fileName]), [['read-then-send', '/p/stores/disk.js']]);
  });

  it('computed requires between two modules of one folder, Readable classes extending each other, and a swap by destructuring are analysed, not skipped', () => {
    const files = new Map<string, string>([
      ['/p/kinds/a.js', "const { Readable } = require('stream');\nconst B = require('./' + 'b');\nclass A extends (process.env.X ? B : Readable) { _read() { this.push(null); } }\nmodule.exports = require('./' + process.env.K + '.js') || A;\n"],
      ['/p/kinds/b.js', "const A = require('./a');\nclass B extends A {}\nmodule.exports = require('../kinds/' + process.env.K) || B;\n"],
    ]);
    const listing = ['/p/server.js', ...files.keys()];
    const project = new Project({ getText: (f) => files.get(f), list: () => listing });
    const server =
      HEADER +
      "const K = require('./kinds/' + process.env.KIND);\n" +
      'http.createServer((req, res) => {\n' +
      "  let a = fs.readFileSync('/srv/a.bin'), b = 1;\n" +
      '  for (let i = 0; i < 3; i++) [a, b] = [b, a];\n' +
      '  new K().pipe(res);\n' +
      '  res.end(a);\n' +
      '});\n';
    const r = analyzeFile('/p/server.js', server, { project });
    assert.equal(r.skipped, undefined);
    assert.deepEqual(r.findings.map((f) => [f.rule, f.range.start.line]), [['read-then-send', 4]]);
  });

  it('invalidating a helper file re-analyses its importers', () => {
    const files = new Map<string, string>([['/p/lib.js', "const fs = require('fs');\nexports.load = (p) => fs.readFileSync(p);\n"]]);
    const project = new Project({ getText: (f) => files.get(f) });
    const server = "const http = require('http');\nconst { load } = require('./lib');\nhttp.createServer((req, res) => res.end(load('/x')));\n";
    assert.deepEqual(analyzeFile('/p/server.js', server, { project }).findings.map((f) => [f.rule, f.fileName]), [['read-then-send', '/p/lib.js']]);
    files.set('/p/lib.js', "const fs = require('fs');\nexports.load = (p) => JSON.stringify(JSON.parse(fs.readFileSync(p, 'utf8')));\n");
    project.invalidate('/p/lib.js');
    assert.deepEqual(analyzeFile('/p/server.js', server, { project }).findings, []);
  });
});

/** A small seeded generator, so a failing edit sequence can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What typing does to code: characters, lines and statements come and go, often not parsing. */
const SNIPPETS = [
  '\n', 'x', '}', '{', '(', ')', ';', 'this.', "'", 'const zcTyped = 1;\n', 'var self = this;\n', 'this.res = res;\n', 'return this;\n', 'res.end(data);\n',
  "fs.createReadStream('/x').pipe(res);\n", '// zerocopy-disable-next-line\n', '/* zerocopy-disable */\n',
  // What the engine models since issue 12: stores through aliases and helpers, calls through (0, f) and apply, emitters, responses.
  'self.socket = res;\n', "Object.assign(module.exports, require('fs'));\n", "Object.defineProperty(exports, 'open', { get: () => fs.createReadStream });\n",
  "bus.emit('read', '/x', done);\n", 'return new Response(stream);\n', 'arguments[1]', '(0, send)', '.apply(this, arguments)', 'new Store();\n',
];

function randomEdit(text: string, next: () => number): string {
  const at = Math.floor(next() * text.length);
  const kind = next();
  if (kind < 0.45) return text.slice(0, at) + SNIPPETS[Math.floor(next() * SNIPPETS.length)] + text.slice(at);
  if (kind < 0.8) return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 20));
  // Delete the whole line.
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  return text.slice(0, start) + (end === -1 ? '' : text.slice(end + 1));
}

/** Real modules wrapped each in its own function, as the LSP benchmark builds its file. */
function realModules(paths: string[]): string {
  return paths.map((p) => `;(function () {\n${readFileSync(repoPath(p), 'utf8').replace(/^#!.*\n/, '')}\n})();\n`).join('');
}

/**
 * Edits a file of a project many times, each time comparing the analysis that reuses what it
 * learnt from earlier versions (as the language server does) with a fresh one.
 */
function assertEditsMatchFresh(fileName: string, start: string, others: Map<string, string>, edits: number, seed: number): void {
  let text = start;
  const getText = (f: string) => (f === fileName ? text : others.get(f));
  const project = new Project({ getText });
  analyzeFile(fileName, text, { project });
  const next = random(seed);
  for (let i = 0; i < edits; i++) {
    text = randomEdit(text, next);
    // The server invalidates on every change; the engine must also notice a new text by itself.
    if (i % 2 === 0) project.invalidate(fileName);
    const incremental = analyzeFile(fileName, text, { project });
    const fresh = analyzeFile(fileName, text, { project: new Project({ getText }) });
    assert.deepEqual(incremental, fresh, `edit ${i} (seed ${seed}) of ${fileName}`);
  }
  // An edit may leave the file unable to hold a finding (its `require('fs')` deleted): then it is
  // not parsed at all, and has no parts to keep.
  if (project.mayHoldFindings(fileName, text)) assert.ok(project.partsOf(fileName), 'the edited file was analysed part by part');
}

describe('incremental analysis of real code, after random edits', () => {
  it('modules of a static file server and an upload client, one file (as the LSP benchmark edits)', () => {
    const text = realModules(['node_modules/form-data/lib/form_data.js', 'node_modules/tar-fs/index.js', 'node_modules/pump/index.js', 'examples/media-server/src/routes/downloads.js']);
    assert.ok(analyzeFile('/p/modules.js', text).findings.length > 0, 'the file starts with findings');
    for (const seed of [1, 2]) assertEditsMatchFresh('/p/modules.js', text, new Map(), 40, seed);
  });

  it('statements that meet only through the implicit instance, or through another file', () => {
    const lib = "const fs = require('fs');\nexports.load = (p) => fs.readFileSync(p);\n";
    const text =
      "const fs = require('fs');\nconst net = require('net');\nconst http = require('http');\nfunction A() {}\nfunction B() {}\n" +
      // Two constructors, one implicit instance: B's upload pipes into the connection A opens.
      'A.prototype.open = function () { this.upstream = net.connect(80); };\n' +
      "B.prototype.upload = function (p) { fs.createReadStream(p).pipe(this.upstream); };\n" +
      // Two handlers, one source in another file: one finding for it, not one per handler.
      "http.createServer((q, s) => s.end(require('./lib').load('/a')));\n" +
      "http.createServer((q, s) => s.write(require('./lib').load('/a')));\n";
    const others = new Map([['/p/lib.js', lib]]);
    const fresh = analyzeFile('/p/meet.js', text, { project: new Project({ getText: (f) => others.get(f) }) });
    assert.deepEqual(fresh.findings.map((f) => [f.rule, f.fileName, f.range.start.line]), [['read-then-send', '/p/lib.js', 1], ['stream-to-socket', '/p/meet.js', 6]]);
    // Edits to one statement at a time: the others keep their parts' findings.
    const project = new Project({ getText: (f) => others.get(f) });
    let edited = text;
    analyzeFile('/p/meet.js', edited, { project });
    for (const [from, to] of [['(p) {', '(path) {'], ['(p)', '(path)'], ['s.end(', 's.end( '], ['\n', '\n\n'], ['80', '8080']]) {
      edited = edited.replace(from!, to!);
      const fresh = analyzeFile('/p/meet.js', edited, { project: new Project({ getText: (f) => others.get(f) }) });
      assert.deepEqual(analyzeFile('/p/meet.js', edited, { project }), fresh, `after ${from} -> ${to}`);
      assert.equal(fresh.findings.length, 2);
    }
    for (const seed of [3, 4, 5]) assertEditsMatchFresh('/p/meet.js', text, others, 30, seed);
  });

  it("a part's findings kept across versions: those in another file keep that file's suppression comments", () => {
    // Kept findings hold no tree of the edited file (each version's is given back on reuse); one
    // in another file is judged by that file's comments.
    const lib =
      "const fs = require('fs');\n" +
      'exports.page = (p) => fs.readFileSync(p);\n' +
      '// zerocopy-disable-next-line read-then-send\n' +
      'exports.asset = (p) => fs.readFileSync(p);\n';
    const app =
      "const http = require('http');\nconst lib = require('./lib');\n" +
      "http.createServer((q, s) => s.end(lib.page('/index.html')));\n" +
      "http.createServer((q, s) => s.end(lib.asset('/logo.png')));\n" +
      HEADER +
      FINDING;
    const others = new Map([['/p/lib.js', lib]]);
    const fresh = analyzeFile('/p/app.js', app, { project: new Project({ getText: (f) => others.get(f) }) });
    assert.deepEqual(fresh.findings.map((f) => [f.rule, f.fileName, f.range.start.line]), [['stream-to-socket', '/p/app.js', 6], ['read-then-send', '/p/lib.js', 1]]);
    for (const seed of [11, 12, 13]) assertEditsMatchFresh('/p/app.js', app, others, 30, seed);
  });

  it('a part sees what the whole file sees: callees injected by callers, and branches their constants decide', () => {
    // A part is evaluated as a view of the file's statements, whose nodes still hang from the whole tree.
    const text =
      HEADER +
      "const send = async (handlers, res, p) => { handlers.createReadStream(p).pipe(res); };\n" +
      "http.createServer((req, res) => send({ createReadStream: fs.createReadStream }, res, req.url));\n" +
      "function reply(res, data, inject) {\n  if (inject) data = String(data).replace('</body>', '<script></script></body>');\n  res.end(data);\n}\n" +
      'http.createServer((req, res) => reply(res, fs.readFileSync(req.url), true));\n';
    const project = new Project({ getText: () => undefined });
    assert.deepEqual(analyzeFile('/p/inject.js', text, { project }).findings.map((f) => [f.rule, f.range.start.line]), [['stream-to-socket', 2]]);
    for (const edited of [text + '\n', text.replace('req.url)', 'req.url )'), text.replace('true))', 'true ))')]) {
      assert.deepEqual(analyzeFile('/p/inject.js', edited, { project }), analyzeFile('/p/inject.js', edited), edited);
    }
    assert.ok(project.partsOf('/p/inject.js'));
  });

  it('prototype-style modules, each in its own wrapper function: each wrapper has its own implicit instance', () => {
    const modules = realModules(['node_modules/form-data/lib/form_data.js', 'node_modules/yazl/index.js', 'node_modules/yauzl/fd-slicer.js']);
    for (const seed of [6, 7]) assertEditsMatchFresh('/p/wrapped.js', modules, new Map(), 30, seed);
    // A flow through the first wrapper's instance (`this.out` written by the constructor, piped into by a
    // method); the second wrapper's `this.out` is its own, and holds nothing.
    const wrapped =
      "const http = require('http');\n" +
      ";(function () {\n  const fs = require('fs');\n  function S(res) { this.out = res; }\n  S.prototype.send = function (p) { fs.createReadStream(p).pipe(this.out); };\n  http.createServer((req, res) => new S(res).send(req.url));\n})();\n" +
      ";(function () {\n  const fs = require('fs');\n  function T() {}\n  T.prototype.send = function () { fs.createReadStream('/srv/t.bin').pipe(this.out); };\n})();\n";
    assert.deepEqual(analyzeFile('/p/wrapped.js', wrapped).findings.map((f) => [f.rule, f.range.start.line]), [['stream-to-socket', 4]]);
    for (const seed of [8, 9, 10]) assertEditsMatchFresh('/p/wrapped.js', wrapped, new Map(), 30, seed);
  });

  it('functions of a part handed to its own functions as parameters (defaults merged with options)', () => {
    const text =
      HEADER +
      'const getHandlers = (methods) => Object.assign({ createReadStream: fs.createReadStream }, methods);\n' +
      'const serve = async (handlers, res, p) => { const stream = await handlers.createReadStream(p); stream.pipe(res); };\n' +
      'http.createServer((req, res) => serve(getHandlers({}), res, req.url));\n';
    const project = new Project({ getText: () => undefined });
    assert.equal(analyzeFile('/p/handlers.js', text, { project }).findings.length, 1);
    // Another statement typed: the handler's part is analysed alone, and still sees its own functions.
    const edited = text + "http.createServer((req, res) => res.end('x'));\n";
    assert.deepEqual(analyzeFile('/p/handlers.js', edited, { project }), analyzeFile('/p/handlers.js', edited));
    assert.ok(project.partsOf('/p/handlers.js'), 'the edited file was analysed part by part');
  });

  it("issue 12's shapes in one file: helpers filling objects, aliases of this, emitters, subclasses, frameworks", () => {
    const text =
      "'use strict';\nconst fs = require('fs');\nconst http = require('http');\nconst net = require('net');\nconst { EventEmitter } = require('events');\n" +
      // A bundler's interop helper: a namespace whose properties are getters of the module's.
      'var copyOwn = (into, from) => { for (const k of Object.getOwnPropertyNames(from)) Object.defineProperty(into, k, { get: () => from[k] }); return into; };\n' +
      "var ns = copyOwn({}, require('fs'));\n" +
      "http.createServer((req, res) => ns.createReadStream('/a').pipe(res));\n" +
      // A prototype-style constructor storing through an alias of this, and its method.
      'function Up(port) { var self = this; self.sock = net.connect(port); }\n' +
      "Up.prototype.put = function (p) { fs.createReadStream(p).pipe(this.sock); };\n" +
      'new Up(21).put(arguments[1]);\n' +
      // A Babel-style class through descriptors naming their own keys.
      'function defineAll(target, props) { for (var i = 0; i < props.length; i++) Object.defineProperty(target, props[i].key, props[i]); }\n' +
      'var Box = (function () { function Box() {} defineAll(Box.prototype, [{ key: "send", value: function send(p, res) { this.open(p).pipe(res); } }, { key: "open", value: function open(p) { return fs.createReadStream(p); } }]); return Box; })();\n' +
      // Request and response over an emitter, and a subclass overriding what its base calls.
      "const bus = new EventEmitter();\nbus.on('read', (p, cb) => cb(null, fs.createReadStream(p)));\n" +
      "net.createServer((c) => bus.emit('read', '/b', (e, s) => s.pipe(c)));\n" +
      'class Base { sendTo(res) { this.open().pipe(res); } }\n' +
      "class Disk extends Base { open() { return fs.createReadStream('/c'); } }\n" +
      // A response returned, and a file read once behind a lazy getter.
      "function GET() { return new Response(fs.createReadStream('/d')); }\n" +
      "const page = { get html() { return this._h || (this._h = fs.readFileSync('/e')); } };\n" +
      'http.createServer((req, res) => res.end(page.html));\n' +
      'module.exports = { GET, Disk, Box };\n';
    const found = analyzeFile('/p/shapes.js', text).findings.map((f) => f.range.start.line);
    assert.deepEqual(found, [7, 9, 12, 14, 17, 18], 'a finding per shape that sends, none for the lazy getter');
    for (const seed of [11, 12, 13, 14]) assertEditsMatchFresh('/p/shapes.js', text, new Map(), 40, seed);
  });

  it('every file of the example server, with the files it imports', () => {
    const dir = repoPath('examples/media-server/src');
    const files = ['app.js', 'server.js', 'lib/media-store.js', 'lib/templates.js', 'live/notify.js', 'admin-tls.js', 'routes/downloads.js', 'config.js'].filter((f) => existsSync(`${dir}/${f}`));
    const others = new Map(files.map((f) => [`${dir}/${f}`, readFileSync(`${dir}/${f}`, 'utf8')]));
    // Seeded by the name inside the example, so every checkout replays the same edits.
    for (const [fileName, text] of others) assertEditsMatchFresh(fileName, text, others, 25, fileName.length - dir.length);
  });
});

describe('parts of a file', () => {
  const partsOf = (text: string) => partition(parse('/p/parts.js', text), new Project({ getText: () => undefined })).map((p) => p.statements.map((s) => s.getText().split('\n')[0]));

  it('statements that share no variable are apart; a package import is copied into each that uses it', () => {
    const text = HEADER + "http.createServer((req, res) => fs.createReadStream('/a').pipe(res));\nhttp.createServer((req, res) => res.end('b'));\n";
    assert.deepEqual(partsOf(text), [
      ["const fs = require('fs');", "const http = require('http');", "http.createServer((req, res) => fs.createReadStream('/a').pipe(res));"],
      ["const http = require('http');", "http.createServer((req, res) => res.end('b'));"],
    ]);
  });

  it('a variable shared between statements, or reassigned, joins them', () => {
    const text = HEADER + "let root = '/srv';\nroot = process.env.ROOT;\nhttp.createServer((req, res) => fs.createReadStream(root).pipe(res));\n";
    assert.deepEqual(partsOf(text).map((p) => p.length), [5]);
  });

  it('a property of the implicit instance joins its writers and its readers, and no one else', () => {
    const text = "function A() {}\nA.prototype.send = function () { this.res.end(this.body); };\nA.prototype.init = function (res) { this.res = res; };\nfunction B() {}\nB.prototype.other = function () { this.x = 1; };\n";
    assert.deepEqual(partsOf(text), [
      ['function A() {}', 'A.prototype.send = function () { this.res.end(this.body); };', 'A.prototype.init = function (res) { this.res = res; };'],
      ['function B() {}', 'B.prototype.other = function () { this.x = 1; };'],
    ]);
  });

  it('a file that declares its own `require` copies no import apart from that declaration', () => {
    // Half-typed, `const express = )require(…)` declares a variable named `require`.
    const route = "router.get('/:name', async (req, res) => { res.send(await fsp.readFile(req.params.name)); });\n";
    for (const own of ["const express = )require('express');\n", "const require = createRequire(import.meta.url);\n"]) {
      const text = own + "const fsp = require('fs/promises');\n" + route;
      const withRoute = partsOf(text).find((p) => p.some((line) => line!.startsWith('router.get')))!;
      assert.deepEqual(withRoute.slice(0, 2), [parse('/p/own.js', text).statements[0]!.getText(), "const fsp = require('fs/promises');"], own);
      // Edited elsewhere, the route's part must not keep a finding the whole file does not have.
      const project = new Project({ getText: () => undefined });
      analyzeFile('/p/own.js', text, { project });
      const edited = text + '\n';
      assert.deepEqual(analyzeFile('/p/own.js', edited, { project }), analyzeFile('/p/own.js', edited));
    }
  });

  it("a statement reading the module's own exports is one with those writing them; writers alone stay apart", () => {
    const writers = "exports.a = function () {};\nexports.b = function () {};\nmodule.exports.c = 1;\n";
    assert.deepEqual(partsOf(writers).map((p) => p.length), [1, 1, 1]);
    // The evaluator's exports are those assigned outside functions: a wrapped module writes none.
    assert.deepEqual(partsOf('(function () { exports.a = 1; })();\n(function () { return exports.b; })();\n').map((p) => p.length), [1, 1]);
    // Read inside a wrapper's body, they are read all the same.
    assert.deepEqual(partsOf('exports.a = 1;\n(function () { return exports.a; })();\n').map((p) => p.length), [2]);
    const reader = "const fs = require('fs');\nexports.protocols = { 'http:': require('http') };\nexports.other = 1;\nfunction send(p) { fs.createReadStream(p).pipe(exports.protocols['http:'].request({})); }\n";
    assert.deepEqual(partsOf(reader).map((p) => p.length), [4]);
    // Edited apart from the statement that writes the export, the reader still finds its sink.
    const text = reader + 'send(process.argv[2]);\n';
    const project = new Project({ getText: () => undefined });
    const before = analyzeFile('/p/exports.js', text, { project });
    assert.equal(before.findings.length, 1);
    const edited = text.replace('exports.other = 1;', 'exports.other = 2;');
    assert.deepEqual(analyzeFile('/p/exports.js', edited, { project }), analyzeFile('/p/exports.js', edited));
  });

  it('a name a statement declares again inside is not the file\'s: it joins no part', () => {
    const text =
      "let root = '/srv';\nfunction a() { const root = 1; return root; }\nfunction b(root) { return root; }\nfunction c(x) { if (x) { var root = 2; } return root; }\n" +
      'function d() { { const root = 1; } return root; }\nfunction e() { return root; }\n';
    assert.deepEqual(partsOf(text), [["let root = '/srv';", 'function d() { { const root = 1; } return root; }', 'function e() { return root; }'], ['function a() { const root = 1; return root; }'], ['function b(root) { return root; }'], ['function c(x) { if (x) { var root = 2; } return root; }']]);
  });

  it('a top-level wrapper function has its own implicit instance; the file\'s `this` handed to it is not its own', () => {
    const wrapped =
      '(function () { function A() {} A.prototype.send = function () { this.res.end(this.body); }; })();\n' +
      '!function () { function B() {} B.prototype.init = function (res) { this.res = res; }; }();\n';
    const plain = 'C.prototype.init = function (res) { this.res = res; };\nD.prototype.send = function () { this.res.end(1); };\n';
    assert.deepEqual(partsOf(wrapped + plain).map((p) => p.length), [1, 1, 2]);
    assert.deepEqual(partsOf('(function (self) { self.res.end(1); })(this);\n' + plain).map((p) => p.length), [3]);
    // What its body declares is its own.
    assert.deepEqual(partsOf('(function () { var root = 1; function helper() {} })();\nfunction e() { return root; }\nfunction f() { return helper(); }\n').map((p) => p.length), [1, 1, 1]);
    // Called any other way, a function's `this` is the file's.
    assert.deepEqual(partsOf('(function () { this.res.end(1); }).call(this);\n' + plain).map((p) => p.length), [3]);
  });

  it("a write through an alias of `this`, `X.prototype` handed to a helper, and `new F()` join the instance's readers", () => {
    const alias = "function A() { var self = this; self.sock = 1; }\nB.prototype.put = function () { return this.sock; };\nC.prototype.other = 1;\n";
    assert.deepEqual(partsOf(alias).map((p) => p.length), [2, 1]);
    const handed = "defineAll(D.prototype, []);\nE.prototype.get = function () { return this.x; };\nconst z = 1;\n";
    assert.deepEqual(partsOf(handed).map((p) => p.length), [2, 1]);
    const built = "function F() {}\nG.prototype.open = function () { return 1; };\nnew F().open();\nconst y = 2;\n";
    assert.deepEqual(partsOf(built).map((p) => p.length), [3, 1]);
  });

  it('`this` held in a variable reads every property its part names', () => {
    const text = "A.prototype.a = function () { var self = this; return self.res; };\nB.prototype.b = function (res) { this.res = res; };\nC.prototype.c = function () { this.other = 1; };\n";
    assert.deepEqual(partsOf(text).map((p) => p.length), [2, 1]);
  });
});

describe('cycles in the code analysed', () => {
  it('an object spread into itself (options = { ...options, x }) ends, with the flow still found', () => {
    const text = HEADER + "let options = { root: '/srv' };\nfor (const k of ['a', 'b']) options = { ...options, [k]: 1 };\nhttp.createServer((req, res) => { fs.createReadStream(options.root).pipe(res); });\n";
    const r = analyzeFile('/p/spread.js', text);
    assert.equal(r.skipped, undefined);
    assert.deepEqual(r.findings.map((f) => f.rule), ['stream-to-socket']);
  });
});
describe('methods looked up by name among the listed files', () => {
  const handler = "exports.get = function get(arg) {\n  arg.fs.read(arg.path, (e, stream) => stream.pipe(arg.response));\n};\n";
  const reads = "const fs = require('fs');\nmodule.exports = { read(p, cb) { cb(null, fs.createReadStream(p)); } };\n";
  const inMemory = "const fs = require('fs');\nmodule.exports = { read(p, cb) { cb(null, Buffer.from(p)); }, save(p, b) { fs.writeFileSync(p, b); } };\n";

  it('a changed definition, and a listing that grows, are seen at the next analysis', () => {
    const files = new Map<string, string>([['/p/get.js', handler]]);
    let listing: readonly string[] = ['/p/get.js'];
    const project = new Project({ getText: (f) => files.get(f), list: () => listing });
    const found = () => analyzeFile('/p/get.js', handler, { project }).findings.map((f) => [f.rule, f.fileName]);
    assert.deepEqual(found(), []);
    files.set('/p/fs.js', reads);
    listing = ['/p/get.js', '/p/fs.js'];
    assert.deepEqual(found(), [['stream-to-socket', '/p/fs.js']]);
    files.set('/p/fs.js', inMemory);
    project.invalidate('/p/fs.js');
    assert.deepEqual(found(), []);
    files.set('/p/fs.js', reads);
    project.invalidate('/p/fs.js');
    assert.deepEqual(found(), [['stream-to-socket', '/p/fs.js']]);
    // A listing that shrinks and grows again (documents closed and opened) updates the name index:
    // a file that left it is not looked into; files that store `read` but read no file are passed
    // over however many they are, and as the reader leaves and comes back, so does the finding.
    listing = ['/p/get.js'];
    assert.deepEqual(found(), []);
    const others = Array.from({ length: 40 }, (_, i) => `/p/other${i}.js`);
    for (const f of others) files.set(f, 'module.exports = { read(p, cb) { cb(null, p); } };\n');
    listing = ['/p/get.js', ...others];
    assert.deepEqual(found(), []);
    listing = ['/p/fs.js', '/p/get.js', ...others.slice(1)];
    assert.deepEqual(found(), [['stream-to-socket', '/p/fs.js']]);
    const fresh = new Project({ getText: (f) => files.get(f), list: () => listing });
    assert.deepEqual(analyzeFile('/p/get.js', handler, { project: fresh }).findings.map((f) => [f.rule, f.fileName]), found());
  });

  it('an edited file whose part looked up a method in another file is analysed again when that file changes', () => {
    const store = "const fs = require('fs');\nexports.store = { load(p) { return Buffer.from(p); }, save(p, b) { fs.writeFileSync(p, b); } };\n";
    const files = new Map<string, string>([['/p/store.js', store]]);
    const listing = ['/p/store.js', '/p/get.js'];
    const project = new Project({ getText: (f) => files.get(f), list: () => listing });
    const found = (p: Project, text: string) => analyzeFile('/p/get.js', text, { project: p }).findings.map((f) => [f.rule, f.fileName]);
    const edited = handler.replace('arg.fs.read(', 'arg.store.load(').replace('(e, stream) => stream.pipe(arg.response)', '').replace('arg.path, )', 'arg.path).pipe(arg.response)');
    assert.equal(edited, "exports.get = function get(arg) {\n  arg.store.load(arg.path).pipe(arg.response);\n};\n");
    // It names fs itself, so it is parsed at each version (and the second goes part by part).
    const withFs = (text: string) => `const fs = require('fs');\nexports.stat = (p) => fs.statSync(p);\n${text}`;
    files.set('/p/get.js', withFs(handler));
    assert.deepEqual(found(project, withFs(handler)), []);
    files.set('/p/get.js', withFs(edited));
    project.invalidate('/p/get.js');
    assert.deepEqual(found(project, withFs(edited)), []);
    // The store starts handing out a read stream: the handler's cached part must not be reused.
    files.set('/p/store.js', store.replace('Buffer.from(p)', 'fs.createReadStream(p)'));
    project.invalidate('/p/store.js');
    const fresh = found(new Project({ getText: (f) => files.get(f), list: () => listing }), withFs(edited));
    assert.deepEqual(fresh, [['stream-to-socket', '/p/store.js']]);
    assert.deepEqual(found(project, withFs(edited)), fresh);
  });

  it('a name stored by many files is still looked up: among them, those that read files', () => {
    const files = new Map<string, string>([['/p/get.js', handler]]);
    for (let i = 0; i < 13; i++) files.set(`/p/fs${i}.js`, reads);
    for (let i = 0; i < 200; i++) files.set(`/p/mem${i}.js`, 'module.exports = { read(p, cb) { cb(null, Buffer.from(p)); } };\n');
    const listing = [...files.keys()];
    const project = new Project({ getText: (f) => files.get(f), list: () => listing });
    assert.deepEqual(new Set(analyzeFile('/p/get.js', handler, { project }).findings.map((f) => f.fileName)), new Set(Array.from({ length: 13 }, (_, i) => `/p/fs${i}.js`)));
  });

  it('files that read come before wrappers, and at most MAX_HANDING_CANDIDATES files are evaluated for a name', () => {
    const files = new Map<string, string>([['/p/get.js', handler]]);
    // Wrappers: they read no file, but call `open`, which a file that reads defines.
    for (let i = 0; i < 60; i++) files.set(`/p/wrap${i}.js`, `module.exports = { read(p, cb) { this.inner.open(p, cb); } };\n`);
    files.set('/p/inner.js', "const fs = require('fs');\nmodule.exports = { open(p, cb) { cb(null, fs.createReadStream(p)); } };\n");
    files.set('/p/zz-reader.js', reads);
    const listing = [...files.keys()];
    const project = new Project({ getText: (f) => files.get(f), list: () => listing });
    const found = analyzeFile('/p/get.js', handler, { project }).findings.map((f) => f.fileName);
    // The reader is found although it sorts last by name; of the 60 wrappers (each handing out inner.js's stream), at most the cap are tried.
    assert.ok(found.includes('/p/zz-reader.js'), found.join(', '));
    assert.ok(found.length <= MAX_HANDING_CANDIDATES + 1, String(found.length));
  });

  it('the file that calls a name is never its own candidate, also after an edit', () => {
    const files = new Map<string, string>([['/p/get.js', handler]]);
    for (let i = 0; i < 12; i++) files.set(`/p/fs${i}.js`, reads);
    const listing = [...files.keys()];
    const project = new Project({ getText: (f) => files.get(f), list: () => listing });
    const found = (text: string) => {
      files.set('/p/get.js', text);
      project.invalidate('/p/get.js');
      return analyzeFile('/p/get.js', text, { project }).findings.length;
    };
    assert.equal(found(handler), 12);
    // It stores a `read` of its own too (reading files): still the twelve others, not its own.
    const own = "const fs = require('fs');\nexports.local = { read(p, cb) { cb(null, fs.createReadStream(p)); } };\n";
    assert.equal(found(own + handler), 12);
    assert.equal(found(handler), 12);
  });
});


/** A server whose file stream reaches the response through `n` functions, each returning the next one's result. */
function chain(n: number): string {
  const fns: string[] = [];
  for (let i = 0; i < n; i++) fns.push(`function f${i}(p) { return f${i + 1}(p); }`);
  fns.push(`function f${n}(p) { return fs.createReadStream(p); }`);
  return `const http = require('http');\nconst fs = require('fs');\n${fns.join('\n')}\nhttp.createServer((req, res) => { f0('./a.bin').pipe(res); }).listen(8080);\n`;
}

describe('a chain of values deeper than one analysis follows', () => {
  it('is cut short and said, not a skip for an exhausted call stack (3,000 functions returning the next one’s result)', () => {
    const result = analyzeFile('chain.js', chain(3000), { maxFileSize: 1e9 });
    assert.equal(result.skipped, undefined, 'analysed, not skipped');
    assert.match(result.incomplete ?? '', /cut short, the bound for one analysis/);
  });

  it('a chain well inside the bound is followed to its end, and the analysis is complete', () => {
    const result = analyzeFile('chain.js', chain(100));
    assert.equal(result.findings.length, 1);
    assert.equal(result.incomplete, undefined);
  });
});

describe('a budgeted guess (the name lookup asking whether a function hands a file out)', () => {
  it('past its questions it stops and answers the fallback; within them it answers in full', () => {
    assert.equal(withEvaluationBudget(50, () => analyzeFile('chain.js', chain(100)).findings.length, -1), -1);
    assert.equal(withEvaluationBudget(1_000_000, () => analyzeFile('chain.js', chain(100)).findings.length, -1), 1);
  });

  it('the parsing and scope building it makes the project do count against its questions, once per file', () => {
    // A module of ~240 kB (2,000 small functions): parsing it costs far more than the few questions asked of it.
    const big = HEADER + Array.from({ length: 2000 }, (_, i) => `function helper${i}(a, b) { return a + b * ${i} + 'some text to make it longer'; }`).join('\n') + '\n';
    const small = () => analyzeFile('chain.js', chain(10)).findings.length;
    assert.equal(withEvaluationBudget(1_000, small, -1), 1, 'the questions alone fit');
    const project = new Project({ getText: () => undefined });
    const guess = () => {
      project.evaluator('big.js', big);
      return small();
    };
    assert.equal(withEvaluationBudget(1_000, guess, -1), -1, 'a guess that parses the module first stops');
    // The tree and scopes stay cached: asking again costs only the questions.
    assert.equal(withEvaluationBudget(1_000, guess, -1), 1);
    // Outside a guess, the work is free, and charging does nothing.
    chargeEvaluationBudget(1_000_000);
    assert.equal(new Project({ getText: () => undefined }).evaluator('big.js', big).skipped, undefined);
    assert.equal(small(), 1);
  });

  it('a nested budget does not reset the outer one, and no budget is left behind', () => {
    assert.equal(withEvaluationBudget(50, () => withEvaluationBudget(1_000_000, () => analyzeFile('chain.js', chain(100)).findings.length, -2), -1), -1);
    assert.equal(analyzeFile('chain.js', chain(100)).findings.length, 1);
  });
});
