import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFile, Project } from '../../server/src/engine';

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
  });

  it('a name stored by too many files is not guessed from', () => {
    const files = new Map<string, string>([['/p/get.js', handler]]);
    for (let i = 0; i < 13; i++) files.set(`/p/fs${i}.js`, reads);
    const listing = [...files.keys()];
    const project = new Project({ getText: (f) => files.get(f), list: () => listing });
    assert.deepEqual(analyzeFile('/p/get.js', handler, { project }).findings, []);
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
