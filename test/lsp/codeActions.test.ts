/**
 * The code action handlers over hand-made findings and fixes (no connection, no fix engine):
 * what is offered for a diagnostic, that nothing is offered or resolved for another version of
 * the document, "disable for this line", fix-all only when asked for and without overlaps.
 * The real server with the real fix engine is tested over stdio in codeActionsServer.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LSPErrorCodes, ResponseError, type CodeAction, type Diagnostic, type TextDocumentEdit } from 'vscode-languageserver';
import type { Finding } from '../../server/src/engine';
import { createCodeActionHandlers, FIX_ALL_KIND, nonOverlapping, type CodeActionDeps, type FixLike } from '../../server/src/lsp/codeActions';
import { toDiagnostics } from '../../server/src/lsp/toDiagnostic';
import { finding, range } from './support/findings';
import { applyWorkspaceEdit } from './support/workspaceEdit';

const URI = 'file:///p/server.js';
const FILE = '/p/server.js';
const TEXT = [
  "const fs = require('fs');",
  "require('http').createServer((req, res) => {",
  "  fs.readFile('a.html', (err, data) => {",
  '    res.end(data);',
  '  });',
  "  fs.readFile('b.html', (err, data) => res.end(data));",
  '});',
  '',
].join('\n');
const A = finding({ fileName: FILE, at: range(2, 2, 13), sinkAt: range(3, 4, 11) });
const B = finding({ fileName: FILE, at: range(5, 2, 13), sinkAt: range(5, 42, 49) });

/** A fix that replaces the finding's callee, plus the same package.json line every fix adds. */
function fixOf(f: Finding, title = 'Send with sendFile()', preferred = true): FixLike {
  return {
    kind: 'sendfile',
    title,
    preferred,
    edits: [
      { fileName: FILE, range: f.range, newText: 'sendFile' },
      { fileName: '/p/package.json', range: range(3, 0, 0), newText: '    "zerocopy": "0.1.0",\n' },
    ],
  };
}

function setup(overrides: Partial<CodeActionDeps> = {}) {
  const document = { fileName: FILE, version: 4, text: TEXT, getText: () => document.text };
  let analysedVersion = 4;
  const deps: CodeActionDeps = {
    document: (uri) => (uri === URI ? document : undefined),
    findingsAt: (fileName, version) => (fileName === FILE && version === analysedVersion ? [A, B] : undefined),
    fixesFor: (_file, _text, f) => ({ fixes: [fixOf(f), fixOf(f, 'Stream it with pipeline()', false)] }),
    editTarget: (fileName) => (fileName === FILE ? { uri: URI, version: document.version } : { uri: `file://${fileName}`, version: null }),
    clientResolvesEdits: () => false,
    ...overrides,
  };
  const diagnostics = toDiagnostics([A, B], { severity: { 'read-then-send': 'warning' } as never, version: 4, uriOf: (f) => `file://${f}`, ruleDocUri: () => undefined });
  return { handlers: createCodeActionHandlers(deps), document, diagnostics, setAnalysed: (v: number) => (analysedVersion = v) };
}

function ask(handlers: ReturnType<typeof setup>['handlers'], diagnostics: Diagnostic[], only?: string[]): CodeAction[] {
  return handlers.codeAction({ textDocument: { uri: URI }, range: diagnostics[0]?.range ?? range(0, 0, 0), context: { diagnostics, ...(only ? { only } : {}) } });
}

test('a finding gets its preferred fix (isPreferred), the alternative, "disable for this line" and the docs', () => {
  const { handlers, diagnostics } = setup();
  const actions = ask(handlers, [diagnostics[0]!]);
  assert.deepEqual(
    actions.map((a) => [a.title, a.kind, a.isPreferred ?? false]),
    [
      ['Send with sendFile()', 'quickfix', true],
      ['Stream it with pipeline()', 'quickfix', false],
      ['Disable `read-then-send` for this line', 'quickfix', false],
      ["Show the docs of zerocopy's `read-then-send` rule", 'quickfix', false],
    ],
  );
  for (const a of actions) assert.deepEqual(a.diagnostics, [diagnostics[0]]);
  assert.deepEqual(actions[3]!.command, { title: 'Show the docs of read-then-send', command: 'zerocopy.showRuleDocs', arguments: ['read-then-send'] });
  // Each edit names the version it was computed for; the closed package.json is addressed without one.
  const changes = actions[0]!.edit!.documentChanges as TextDocumentEdit[];
  assert.deepEqual(changes.map((c) => c.textDocument), [{ uri: URI, version: 4 }, { uri: 'file:///p/package.json', version: null }]);
});

test('"disable for this line" inserts the comment indented like the line, or adds the rule to one already there', () => {
  const { handlers, diagnostics, document } = setup();
  const disable = ask(handlers, [diagnostics[0]!]).find((a) => a.title.startsWith('Disable'))!;
  const after = applyWorkspaceEdit(disable.edit!, new Map([[URI, { version: 4, text: TEXT }]])).get(URI)!;
  assert.equal(after.split('\n')[2], '  // zerocopy-disable-next-line read-then-send');
  assert.equal(after.split('\n')[3], "  fs.readFile('a.html', (err, data) => {");

  document.text = TEXT.replace("  fs.readFile('a.html'", "  // zerocopy-disable-next-line file-to-file\n  fs.readFile('a.html'");
  const shifted = { ...diagnostics[0]!, range: range(3, 2, 13) };
  const again = setup({ document: () => document, findingsAt: () => [{ ...A, range: range(3, 2, 13) }] });
  const edit = ask(again.handlers, [shifted]).find((a) => a.title.startsWith('Disable'))!.edit!;
  const appended = applyWorkspaceEdit(edit, new Map([[URI, { version: 4, text: document.text }]])).get(URI)!;
  assert.equal(appended.split('\n')[2], '  // zerocopy-disable-next-line file-to-file read-then-send');
});

test('nothing is offered for a diagnostic of another version, nor while the findings are not those of the current text', () => {
  const { handlers, diagnostics, document, setAnalysed } = setup();
  document.version = 5; // edited since the diagnostics were published (for version 4)
  assert.deepEqual(ask(handlers, [diagnostics[0]!]), []);
  const current = { ...diagnostics[0]!, data: { ...(diagnostics[0]!.data as object), version: 5 } };
  assert.deepEqual(ask(handlers, [current]), [], 'the findings are still those of version 4');
  setAnalysed(5);
  assert.equal(ask(handlers, [current]).length, 4);
});

test('with a client that resolves, the edit comes from codeAction/resolve, and an edit for an older version is refused', () => {
  const { handlers, diagnostics, document, setAnalysed } = setup({ clientResolvesEdits: () => true });
  const [preferred] = ask(handlers, [diagnostics[0]!]);
  assert.equal(preferred!.edit, undefined);
  const resolved = handlers.resolve(preferred!);
  assert.deepEqual((resolved.edit!.documentChanges as TextDocumentEdit[])[0]!.edits[0], { range: A.range, newText: 'sendFile' });

  document.version = 5;
  setAnalysed(5);
  assert.throws(
    () => handlers.resolve(preferred!),
    (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.ContentModified,
  );
});

test('fix-all is offered only when asked for by kind, and holds every preferred fix once, without overlaps', () => {
  const { handlers, diagnostics } = setup();
  assert.ok(ask(handlers, diagnostics).every((a) => a.kind === 'quickfix'), 'not in the lightbulb');
  for (const only of [['source.fixAll'], ['source'], [FIX_ALL_KIND]]) {
    const actions = ask(handlers, [], only);
    assert.deepEqual(actions.map((a) => a.kind), [FIX_ALL_KIND], JSON.stringify(only));
    const changes = actions[0]!.edit!.documentChanges as TextDocumentEdit[];
    assert.deepEqual(changes.map((c) => [c.textDocument.uri, c.edits.length]), [[URI, 2], ['file:///p/package.json', 1]]);
  }
  assert.deepEqual(ask(handlers, [], ['refactor']), []);
});

test('nonOverlapping keeps the first of two fixes that touch the same text, and shares identical edits', () => {
  const a = fixOf(A);
  const overlapping: FixLike = { ...fixOf(A), title: 'other', edits: [{ fileName: FILE, range: range(2, 5, 20), newText: 'x' }] };
  const b = fixOf(B);
  assert.deepEqual(nonOverlapping([a, overlapping, b]).map((f) => f.title), [a.title, b.title]);
});
