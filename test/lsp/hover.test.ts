import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver';
import { createHoverHandler, hoverMarkdown } from '../../server/src/lsp/hover';
import { analyzeFile } from '../../server/src/engine';
import { markdownText, messageMarkdown } from '../../server/src/report/markdown';
import { finding, range } from './support/findings';
import { renderMarkdown, renderedTags, renderedText } from './support/markdown';

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
  const html = renderMarkdown(md);
  assert.match(html, /<code>read-then-send<\/code>.*<code>sendfile<\/code>/);
  assert.match(html, /<td>today: read\(\) \+ write\(\) through a JS buffer<\/td>\s*<td style="text-align:right">4<\/td>\s*<td style="text-align:right">2<\/td>\s*<td style="text-align:right">2<\/td>/);
  assert.match(html, /<td>after <code>sendfile<\/code>: sendfile\(\)<\/td>\s*<td style="text-align:right">2<\/td>\s*<td style="text-align:right">0<\/td>\s*<td style="text-align:right">1<\/td>/);
  const text = renderedText(md);
  assert.match(text, /JS heap held per request: today the whole file \(N bytes for an N-byte file\); after 0 bytes/);
  assert.match(html, /<a href="file:\/\/\/pkg\/docs\/rules\/read-then-send\.md">About <code>read-then-send<\/code><\/a>/);
  assert.match(text, /reads the whole file into memory \(line 3\) → written to res by end \(line 4\)/);
  assert.match(html, /written to <code>res<\/code> by <code>end<\/code> \(line 4\)/);
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
  assert.match(renderedText(hoverMarkdown(stream, streamText)), /today 256 KiB \(the stream's highWaterMark\)/);
  const inspect = finding({ fileName: '/p/i.js', rule: 'inspect-then-send', recommendation: 'mmap' });
  assert.match(hoverMarkdown(inspect, ''), /\| after `mmap`: mmap\(\) \+ write\(\) \| 3 \| 1 \| 1 \|/);
  assert.match(renderMarkdown(hoverMarkdown(inspect, '')), /<td>after <code>mmap<\/code>: mmap\(\) \+ write\(\)<\/td>/);
});

/**
 * Code from the analysed file that tries to become Markdown: backticks closing the code span
 * early, links, images, raw HTML, autolinked URLs, a blank line ending the paragraph. Each is
 * analysed by the real engine; the hover of every finding must render as code and text only.
 */
const HOSTILE_SINKS = [
  '(res/*`[a](https://e.x)`*/).end(d);',
  '(res/*``[b](https://e.x)``*/).end(d);',
  '(res /* <img src=x onerror=alert(1)> */).end(d);',
  '(res/*\n\n[c](https://e.x)\n\n# heading\n*/).end(d);',
  '(res/*` <a href="https://e.x">d</a> `*/).write(d);',
  '(res/*` https://e.x www.e.x me@e.x `*/).end(d);',
];

test('hover Markdown: code from the file cannot close its code span, link, embed HTML or start blocks', () => {
  for (const sink of HOSTILE_SINKS) {
    const text = [
      "const fs = require('fs');",
      "require('http').createServer((req, res) => {",
      "  (fs/*`![i](https://e.x/i.png)`*/).readFile('index.html', (err, d) => {",
      `    ${sink}`,
      '  });',
      '});',
      '',
    ].join('\n');
    const findings = analyzeFile('/p/hostile.js', text).findings;
    assert.equal(findings.length, 1, sink);
    const md = hoverMarkdown(findings[0]!, text, 'file:///pkg/docs/rules/read-then-send.md');
    const { tags, links } = renderedTags(md);
    assert.deepEqual(links, ['file:///pkg/docs/rules/read-then-send.md'], `${sink}\n${renderMarkdown(md)}`);
    for (const tag of tags) {
      assert.ok(['p', 'strong', 'code', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'a'].includes(tag), `<${tag}> from ${sink}:\n${renderMarkdown(md)}`);
    }
    // What was written is shown as code, not lost: the comment is in a code span.
    assert.match(renderMarkdown(md), /<code>\(res ?\/\*/, `${sink}\n${renderMarkdown(md)}`);
  }
});

test('messageMarkdown keeps code spans and renders any other text exactly as written', () => {
  const samples = [
    'plain words: 4 copies, 2 syscalls.',
    '[a](https://e.x) ![i](x.png) <b>bold</b> &amp; *em* _em_ ~~s~~ | a | b |',
    '# not a heading',
    '1. not a list',
    '- not a list either',
    '> not a quote',
    'https://e.x www.e.x me@e.x',
    'a \\` backslash and a lone ` backtick',
  ];
  for (const sample of samples) {
    const md = markdownText(sample);
    assert.equal(renderedText(md), sample.replace(/\s+/g, ' ').trim(), md);
    const { tags, links } = renderedTags(md);
    assert.deepEqual([...tags], ['p'], `${sample}: ${renderMarkdown(md)}`);
    assert.deepEqual(links, []);
  }
  assert.equal(
    renderMarkdown(messageMarkdown('written to ``(res/*`[a](https://e.x)`*/)`` by `end`')),
    '<p>written to <code>(res/*`[a](https://e.x)`*/)</code> by <code>end</code></p>\n',
  );
});
