import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver';
import { createHoverHandler, hoverMarkdown } from '../../server/src/lsp/hover';
import { finding, range } from './support/findings';

const text = [
  "const fs = require('fs');",
  "require('http').createServer((req, res) => {",
  "  fs.readFile('index.html', (err, data) => {",
  '    res.end(data);',
  '  });',
  '});',
].join('\n');
const f = finding({ fileName: '/p/a.js', at: range(2, 2, 13), sinkAt: range(3, 4, 11) });

function handler() {
  return createHoverHandler({
    fileNameOf: (uri) => uri.replace('file://', ''),
    findingsIn: (fileName) => (fileName === '/p/a.js' ? [f] : []),
    textOf: () => text,
    ruleDocUri: (rule) => `file:///pkg/docs/rules/${rule}.md`,
  });
}

test('hovering the source call shows the copy path in numbers, today versus after the rewrite', () => {
  const hover = handler()({ textDocument: { uri: 'file:///p/a.js' }, position: { line: 2, character: 6 } });
  assert.ok(hover);
  assert.deepEqual(hover.range, range(2, 2, 13));
  const md = (hover.contents as MarkupContent).value;
  assert.equal((hover.contents as MarkupContent).kind, 'markdown');
  assert.match(md, /`read-then-send`.*`sendfile`/);
  assert.match(md, /\| today: read\(\) \+ write\(\) through a JS buffer \| 4 \| 2 \| 2 \|/);
  assert.match(md, /\| after `sendfile`: sendfile\(\) \| 2 \| 0 \| 1 \|/);
  assert.match(md, /JS heap held per request: today the whole file \(N bytes for an N-byte file\); after 0 bytes/);
  assert.match(md, /\[About `read-then-send`\]\(file:\/\/\/pkg\/docs\/rules\/read-then-send\.md\)/);
  assert.match(md, /reads the whole file into memory \(line 3\) → written to `res` by `end` \(line 4\)/);
});

test('hovering the sink in the same file shows it too; elsewhere nothing', () => {
  const h = handler();
  assert.ok(h({ textDocument: { uri: 'file:///p/a.js' }, position: { line: 3, character: 8 } }));
  assert.equal(h({ textDocument: { uri: 'file:///p/a.js' }, position: { line: 0, character: 3 } }), null);
  assert.equal(h({ textDocument: { uri: 'file:///p/other.js' }, position: { line: 2, character: 6 } }), null);
});

test('a stream with a highWaterMark shows that size; mmap shows 3 copies', () => {
  const streamText = "fs.createReadStream(p, { highWaterMark: 256 * 1024 }).pipe(res);";
  const stream = finding({ fileName: '/p/s.js', rule: 'stream-to-socket', holds: 'chunk', at: range(0, 0, 19) });
  assert.match(hoverMarkdown(stream, streamText), /today 256 KiB \(the stream's highWaterMark\)/);
  const inspect = finding({ fileName: '/p/i.js', rule: 'inspect-then-send', recommendation: 'mmap' });
  assert.match(hoverMarkdown(inspect, ''), /\| after `mmap`: mmap\(\) \+ write\(\) \| 3 \| 1 \| 1 \|/);
});
