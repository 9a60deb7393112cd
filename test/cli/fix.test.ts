/**
 * `zerocopy check --fix` and `--fix-dry-run` as a user runs them: the bundled CLI in a child
 * process, on real files in temp folders (and on a copy of examples/).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CLI } from '../lsp/support/lspClient';
import { tempProject } from '../lsp/support/tempProject';
import { syntaxErrors } from '../engine/syntax';

function zerocopy(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const FAVICON = `const http = require('http');
const fs = require('fs');

http.createServer((req, res) => {
  fs.readFile('./favicon.ico', (err, icon) => {
    if (err) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'image/x-icon' });
    res.end(icon);
  });
}).listen(8080);
`;

const FAVICON_FIXED = `const http = require('http');
const fs = require('fs');
const { sendFile } = require('zerocopy');

http.createServer((req, res) => {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'image/x-icon');
  sendFile(res, './favicon.ico').catch(() => {
    if (res.headersSent) return;
    res.removeHeader('Content-Type');
    res.writeHead(404).end();
  });
}).listen(8080);
`;

const BACKUP = `import { readFile, writeFile } from 'node:fs/promises';

export async function backup() {
  const data = await readFile('./db.sqlite');
  await writeFile('./backup/db.sqlite', data);
}
`;

/** A finding with no fix: express's res.send. */
const EXPRESS_SEND = `const express = require('express');
const fsp = require('fs/promises');

const app = express();
app.get('/f', async (req, res) => {
  const buf = await fsp.readFile('./f.bin');
  res.send(buf);
});
app.listen(3000);
`;

const PACKAGE = `{
  "name": "demo",
  "dependencies": {
    "express": "^4.21.2"
  }
}
`;

test('check says per finding whether it has a fix, or why not', () => {
  const p = tempProject({ 'package.json': PACKAGE, 'src/favicon.js': FAVICON, 'src/app.js': EXPRESS_SEND });
  try {
    const r = zerocopy(['check'], p.root);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /src\/favicon\.js:5:3 {2}read-then-send[^\n]*\n(?: {4}src[^\n]*\n)+ {4}fix: Send the file with zerocopy's sendFile\(\)/);
    assert.match(r.stdout, /src\/app\.js:6:21 {2}read-then-send[^\n]*\n(?: {4}src[^\n]*\n)+ {4}no fix: express's `res\.send` also sends an ETag/);
    const json = JSON.parse(zerocopy(['check', '--format', 'json'], p.root).stdout) as { findings: Array<{ file: string; fix?: string; noFix?: string }> };
    assert.match(json.findings.find((f) => f.file === 'src/favicon.js')!.fix!, /sendFile/);
    assert.match(json.findings.find((f) => f.file === 'src/app.js')!.noFix!, /ETag/);
  } finally {
    p.remove();
  }
});

test('--fix rewrites the files and package.json, lists what it fixed and what is left; a second run changes nothing', () => {
  const p = tempProject({ 'package.json': PACKAGE, 'src/favicon.js': FAVICON, 'src/app.js': EXPRESS_SEND, 'tools/backup.mjs': BACKUP });
  try {
    const r = zerocopy(['check', '--fix'], p.root);
    assert.equal(r.status, 1, 'the express finding is left, so the exit status says findings');
    assert.match(r.stdout, /^fixed {2}src\/favicon\.js:5:3 {2}read-then-send {2}Send the file with zerocopy's sendFile\(\)/m);
    assert.match(r.stdout, /^fixed {2}tools\/backup\.mjs:4:22 {2}file-to-file {2}Copy with fs\.copyFile\(\)/m);
    assert.match(r.stdout, /2 findings fixed; changed package\.json, src\/favicon\.js, tools\/backup\.mjs; 1 left/);
    assert.match(r.stdout, /src\/app\.js:6:21 {2}read-then-send[\s\S]* {4}no fix: express's `res\.send`/);
    assert.match(r.stdout, /1 finding in 1 file/);
    assert.equal(readFileSync(p.path('src/favicon.js'), 'utf8'), FAVICON_FIXED);
    assert.equal(readFileSync(p.path('tools/backup.mjs'), 'utf8'), BACKUP.replace("import { readFile, writeFile } from 'node:fs/promises';", "import { readFile, writeFile, copyFile } from 'node:fs/promises';").replace("  const data = await readFile('./db.sqlite');\n  await writeFile('./backup/db.sqlite', data);\n", "  await copyFile('./db.sqlite', './backup/db.sqlite');\n"));
    assert.equal(readFileSync(p.path('package.json'), 'utf8'), PACKAGE.replace('"express": "^4.21.2"', '"express": "^4.21.2",\n    "zerocopy": "^0.1.0"'));
    assert.equal(readFileSync(p.path('src/app.js'), 'utf8'), EXPRESS_SEND);

    const before = snapshot(p.root);
    const again = zerocopy(['check', '--fix'], p.root);
    assert.equal(again.status, 1);
    assert.match(again.stdout, /^0 findings fixed; 1 left/m);
    assert.deepEqual(snapshot(p.root), before, 'a second run changes nothing');
  } finally {
    p.remove();
  }
});

test('--fix with no finding left exits 0', () => {
  const p = tempProject({ 'src/favicon.js': FAVICON });
  try {
    const r = zerocopy(['check', '--fix', 'src'], p.root);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 finding fixed; changed src\/favicon\.js; 0 left\./);
    assert.match(r.stdout, /No findings/);
  } finally {
    p.remove();
  }
});

test('--fix-dry-run prints a unified diff and changes nothing; its exit status is that of the findings that would remain', () => {
  const p = tempProject({ 'package.json': PACKAGE, 'src/favicon.js': FAVICON });
  try {
    const before = snapshot(p.root);
    const r = zerocopy(['check', '--fix-dry-run'], p.root);
    assert.equal(r.status, 0);
    assert.deepEqual(snapshot(p.root), before);
    assert.match(r.stdout, /^--- a\/package\.json\n\+\+\+ b\/package\.json\n@@ -1,6 \+1,7 @@\n/m);
    assert.match(r.stdout, /^-    "express": "\^4\.21\.2"\n\+    "express": "\^4\.21\.2",\n\+    "zerocopy": "\^0\.1\.0"$/m);
    assert.match(r.stdout, /^--- a\/src\/favicon\.js\n\+\+\+ b\/src\/favicon\.js\n@@ -1,10 \+1,13 @@\n/m);
    assert.match(r.stdout, /^-  fs\.readFile\('\.\/favicon\.ico', \(err, icon\) => \{$/m);
    assert.match(r.stdout, /^\+  sendFile\(res, '\.\/favicon\.ico'\)\.catch\(\(\) => \{$/m);
    assert.match(r.stdout, /^would fix {2}src\/favicon\.js:5:3 {2}read-then-send/m);
  } finally {
    p.remove();
  }
});

test('--fix keeps a byte-order mark and CRLF line ends', () => {
  const crlf = FAVICON.replace(/\n/g, '\r\n');
  const p = tempProject({ 'server.js': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf)]) });
  try {
    assert.equal(zerocopy(['check', '--fix'], p.root).status, 0);
    const bytes = readFileSync(p.path('server.js'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(bytes.subarray(3).toString(), FAVICON_FIXED.replace(/\n/g, '\r\n'));
  } finally {
    p.remove();
  }
});

test('--fix with --format json: the report of what remains on stdout, what was fixed on stderr', () => {
  const p = tempProject({ 'src/favicon.js': FAVICON, 'src/app.js': EXPRESS_SEND });
  try {
    const r = zerocopy(['check', '--fix', '--format', 'json'], p.root);
    assert.equal(r.status, 1);
    const report = JSON.parse(r.stdout) as { findings: Array<{ file: string; noFix?: string }> };
    assert.deepEqual(report.findings.map((f) => f.file), ['src/app.js']);
    assert.match(report.findings[0]!.noFix!, /ETag/);
    assert.match(r.stderr, /^fixed {2}src\/favicon\.js:5:3/m);
  } finally {
    p.remove();
  }
});

test('--fix and --fix-dry-run together are a usage error', () => {
  const r = zerocopy(['check', '--fix', '--fix-dry-run'], __dirname);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--fix and --fix-dry-run exclude each other/);
});

test('--fix on a copy of examples/: every file still parses, the fixes did not overlap, and a second run changes nothing', () => {
  const p = tempProject();
  try {
    cpSync(join(__dirname, '../../../examples'), p.path('examples'), { recursive: true });
    const first = zerocopy(['check', '--fix', 'examples'], p.root);
    assert.equal(first.status, 1, first.stderr);
    assert.equal(first.stderr, '');
    const fixedCount = Number(/^(\d+) findings? fixed/m.exec(first.stdout)?.[1]);
    assert.ok(fixedCount >= 4, `fixed ${fixedCount}:\n${first.stdout}`);
    for (const [file, text] of Object.entries(snapshot(p.root))) {
      if (/\.[cm]?[jt]sx?$/.test(file)) assert.deepEqual(syntaxErrors(file, text), [], file);
    }
    JSON.parse(readFileSync(p.path('examples/media-server/package.json'), 'utf8'));
    const before = snapshot(p.root);
    const second = zerocopy(['check', '--fix', 'examples'], p.root);
    assert.match(second.stdout, /^0 findings fixed/m);
    assert.deepEqual(snapshot(p.root), before);
  } finally {
    p.remove();
  }
});

/** Every file below `root`, by relative path. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(root, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return out;
}
