/**
 * How much work `zerocopy check` does for a project whose modules are imported by many files:
 * each file is read from disk once and parsed once, however many importers ask for it. Counted by
 * wrapping the engine's `parse()` and the CLI's file read (the real functions still do the work).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCheck } from '../../server/src/cli/check';
import { tempProject } from '../lsp/support/tempProject';

type ParseModule = typeof import('../../server/src/engine/parse');
type ReadModule = typeof import('../../server/src/workspace/readSource');
// Compiled CommonJS reads `module.export` at each call, so a replaced export is what the CLI calls.
const parseModule = require('../../server/src/engine/parse') as ParseModule;
const readModule = require('../../server/src/workspace/readSource') as ReadModule;

/** More modules than the language server's cache holds (96), each reading a file. */
const MODULES = 130;
const HANDLERS = 3;

function handler(): string {
  const cases = Array.from({ length: MODULES }, (_, i) => `    case '/${i}': return res.end(require('../lib/m${i}').load('page${i}.html'));`);
  return ["const http = require('http');", 'http.createServer((req, res) => {', '  switch (req.url) {', ...cases, '  }', '}).listen(8080);', ''].join('\n');
}

test('check reads and parses each file of a densely imported project once', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < MODULES; i++) files[`lib/m${i}.js`] = `const fs = require('fs');\nexports.load = (p) => fs.readFileSync(p);\n`;
  for (let h = 0; h < HANDLERS; h++) files[`app/h${h}.js`] = handler();
  const project = tempProject(files);
  const parses = new Map<string, number>();
  const reads = new Map<string, number>();
  const { parse } = parseModule;
  const { readSourceFileSync } = readModule;
  (parseModule as { parse: ParseModule['parse'] }).parse = (fileName, text) => {
    parses.set(fileName, (parses.get(fileName) ?? 0) + 1);
    return parse(fileName, text);
  };
  (readModule as { readSourceFileSync: ReadModule['readSourceFileSync'] }).readSourceFileSync = (path, maxBytes) => {
    reads.set(path, (reads.get(path) ?? 0) + 1);
    return readSourceFileSync(path, maxBytes);
  };
  try {
    const report = await runCheck({ paths: [project.root], maxFileSize: 2_000_000, cwd: project.root });
    assert.deepEqual(report.errors, []);
    // Every module's read reaches a response through a handler.
    assert.equal(new Set(report.findings.map((f) => f.fileName)).size, MODULES);
    assert.equal(parses.size, MODULES + HANDLERS);
    assert.deepEqual([...parses].filter(([, n]) => n > 1), [], 'files parsed more than once');
    assert.deepEqual([...reads].filter(([, n]) => n > 1), [], 'files read more than once');
  } finally {
    (parseModule as { parse: ParseModule['parse'] }).parse = parse;
    (readModule as { readSourceFileSync: ReadModule['readSourceFileSync'] }).readSourceFileSync = readSourceFileSync;
    project.remove();
  }
});
