import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { FindingStore } from '../../server/src/lsp/findingStore';
import { createPublisher } from '../../server/src/lsp/publisher';
import { DEFAULT_SETTINGS } from '../../server/src/protocol';
import { finding } from './support/findings';

function setup() {
  const store = new FindingStore();
  const open = new Map<string, { uri: string; version: number }>();
  const sent: PublishDiagnosticsParams[] = [];
  let batches = 0;
  const publish = createPublisher({
    store,
    openDocument: (f) => open.get(f),
    settingsNow: () => DEFAULT_SETTINGS,
    uriOf: (f) => `file://${f}`,
    ruleDocUri: () => undefined,
    send: (p) => sent.push(p),
    afterPublish: () => batches++,
  });
  return { store, open, sent, publish, batches: () => batches };
}

test("an open document's diagnostics carry its version and the editor's own URI, even when empty", () => {
  const s = setup();
  s.open.set('/p/a b.js', { uri: 'file:///p/a%20b.js', version: 4 });
  s.publish(['/p/a b.js']);
  assert.deepEqual(s.sent, [{ uri: 'file:///p/a%20b.js', version: 4, diagnostics: [] }]);
  assert.equal(s.batches(), 1);
});

test('a closed file is published when it has findings, cleared once when they go, then left alone', () => {
  const s = setup();
  s.publish(['/p/c.js']);
  assert.equal(s.sent.length, 0);
  s.store.set('/p/c.js', [finding({ fileName: '/p/c.js' })]);
  s.publish(['/p/c.js']);
  assert.equal(s.sent.length, 1);
  assert.equal(s.sent[0]!.version, undefined);
  assert.equal(s.sent[0]!.diagnostics.length, 1);
  s.store.clear('/p/c.js');
  s.publish(['/p/c.js']);
  s.publish(['/p/c.js']);
  assert.deepEqual(s.sent.slice(1), [{ uri: 'file:///p/c.js', diagnostics: [] }]);
});

test('a file analysed only in part gets an information note at its top, after its findings, until an analysis completes', () => {
  const s = setup();
  s.open.set('/p/many.js', { uri: 'file:///p/many.js', version: 2 });
  s.store.set('/p/many.js', [finding({ fileName: '/p/many.js' })], 'the analysis stopped at 20,000 data flows');
  s.publish(['/p/many.js']);
  const diagnostics = s.sent.at(-1)!.diagnostics;
  assert.equal(diagnostics.length, 2);
  assert.deepEqual(diagnostics[1], {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 3,
    code: 'analysis-incomplete',
    source: 'zerocopy',
    message: 'Zero-Copy Advisor analysed this file only in part: the analysis stopped at 20,000 data flows.',
  });
  assert.deepEqual(s.store.totals(), { findings: 1, files: 1, incomplete: 1 });
  s.store.set('/p/many.js', [finding({ fileName: '/p/many.js' })]);
  s.publish(['/p/many.js']);
  assert.equal(s.sent.at(-1)!.diagnostics.length, 1);
  assert.deepEqual(s.store.totals(), { findings: 1, files: 1, incomplete: 0 });
});
