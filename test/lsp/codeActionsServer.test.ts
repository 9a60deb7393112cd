/**
 * Quick fixes through the real server (`node dist/cli.js lsp --stdio`) and the real fix engine:
 * the actions a finding gets, each edit applied as an editor applies it (only to the version it
 * names), and the finding gone once the server analysed the new text; nothing offered or resolved
 * for an older version; fix-all in one edit without overlaps; "no fix, because …" in the hover and
 * the diagnostic.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { CodeAction, TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import { dirname, join } from 'node:path';
import { analyzeFile, Project } from '../../server/src/engine';
import { fixesFor, type FixResult } from '../../server/src/fixes';
import { bundledRuntimeVersion } from '../../server/src/report/runtimeVersion';
import { CLIENT_CAPABILITIES, LspClient } from './support/lspClient';
import { READ_WITH_ERROR_BRANCH } from './support/sources';
import { tempProject, type TempProject } from './support/tempProject';
import { applyTextEdits, applyWorkspaceEdit, VersionMismatch, type EditedDocument } from './support/workspaceEdit';

const uri = (path: string) => pathToFileURL(path).href;
const PACKAGE_JSON = JSON.stringify({ name: 'site', version: '1.0.0', private: true, dependencies: { ws: '^8.0.0' } }, null, 2) + '\n';

/** Three copies the engine finds: two with a fix, one whose buffer is still used after the send. */
const THREE_ROUTES = [
  "const http = require('http');",
  "const fs = require('fs');",
  "const path = require('path');",
  '',
  'const served = { bytes: 0 };',
  '',
  'http.createServer((req, res) => {',
  "  if (req.url === '/') {",
  "    fs.readFile(path.join(__dirname, 'index.html'), (err, html) => {",
  '      if (err) {',
  '        res.statusCode = 404;',
  '        return res.end();',
  '      }',
  "      res.setHeader('Content-Type', 'text/html');",
  '      res.end(html);',
  '    });',
  "  } else if (req.url === '/about') {",
  "    fs.readFile(path.join(__dirname, 'about.html'), (err, html) => {",
  '      if (err) {',
  '        res.writeHead(404);',
  "        res.end('no about page');",
  '        return;',
  '      }',
  "      res.writeHead(200, { 'Content-Type': 'text/html' });",
  '      res.end(html);',
  '    });',
  '  } else {',
  "    fs.readFile(path.join(__dirname, 'log.txt'), (err, data) => {",
  '      if (err) return res.end();',
  '      res.end(data);',
  '      served.bytes += data.length;',
  '    });',
  '  }',
  '}).listen(8080);',
  '',
].join('\n');

/** What the fix engine itself offers for the findings of `text` (in this process, as the server calls it). */
function engineFixes(fileName: string, text: string, packageJson: string): FixResult[] {
  const project = new Project({ getText: (f) => (f === fileName ? text : undefined) });
  return analyzeFile(fileName, text, { project }).findings.map((finding) =>
    fixesFor({ fileName, text, finding, project, packageJson: { fileName: join(dirname(fileName), 'package.json'), text: packageJson }, zerocopyVersion: bundledRuntimeVersion() }),
  );
}

const CAPABILITIES_WITH_RESOLVE = {
  ...CLIENT_CAPABILITIES,
  window: { ...CLIENT_CAPABILITIES.window, showDocument: { support: true } },
  workspace: { ...CLIENT_CAPABILITIES.workspace, workspaceEdit: { documentChanges: true } },
  textDocument: {
    ...CLIENT_CAPABILITIES.textDocument,
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'refactor.rewrite', 'source', 'source.fixAll'] } },
      isPreferredSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
    },
  },
};
const { resolveSupport: _, ...WITHOUT_RESOLVE } = CAPABILITIES_WITH_RESOLVE.textDocument.codeAction;
const CAPABILITIES_WITHOUT_RESOLVE = { ...CAPABILITIES_WITH_RESOLVE, textDocument: { ...CAPABILITIES_WITH_RESOLVE.textDocument, codeAction: WITHOUT_RESOLVE } };

class Editor {
  readonly documents = new Map<string, EditedDocument>();
  constructor(
    readonly client: LspClient,
    readonly ws: TempProject,
  ) {}

  static async start(ws: TempProject, capabilities: object): Promise<{ editor: Editor; init: any }> {
    const client = LspClient.start();
    client.handlers.set('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
    const init = await client.call('initialize', { processId: process.pid, rootUri: uri(ws.root), workspaceFolders: [{ uri: uri(ws.root), name: 'ws' }], capabilities });
    client.notify('initialized', {});
    return { editor: new Editor(client, ws), init };
  }

  async open(relative: string, text: string): Promise<any[]> {
    const u = uri(this.ws.path(relative));
    this.documents.set(u, { version: 1, text });
    const since = this.client.mark();
    this.client.notify('textDocument/didOpen', { textDocument: { uri: u, languageId: 'javascript', version: 1, text } });
    return this.diagnostics(relative, 1, since);
  }

  async diagnostics(relative: string, version: number, since = 0): Promise<any[]> {
    const u = uri(this.ws.path(relative));
    const n = await this.client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === u && p.version === version, since);
    return n.params.diagnostics;
  }

  /** Replaces the whole text (as one change) at the next version; resolves with the diagnostics of that version. */
  async change(relative: string, text: string): Promise<any[]> {
    const u = uri(this.ws.path(relative));
    const document = this.documents.get(u)!;
    const version = document.version! + 1;
    this.documents.set(u, { version, text });
    const since = this.client.mark();
    this.client.notify('textDocument/didChange', { textDocument: { uri: u, version }, contentChanges: [{ text }] });
    return this.diagnostics(relative, version, since);
  }

  text(relative: string): string {
    return this.documents.get(uri(this.ws.path(relative)))!.text;
  }

  async actions(relative: string, diagnostics: any[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.client.call('textDocument/codeAction', { textDocument: { uri: uri(this.ws.path(relative)) }, range, context: { diagnostics, ...(only ? { only } : {}) } });
  }

  async resolve(action: CodeAction): Promise<CodeAction> {
    return action.edit ? action : this.client.call('codeAction/resolve', action);
  }

  /** Applies the action's edit as an editor does; closed files (package.json) are read from and written to disk. */
  async apply(action: CodeAction): Promise<Map<string, string>> {
    const edit = (await this.resolve(action)).edit!;
    const touched = new Map(this.documents);
    for (const change of (edit.documentChanges ?? []) as TextDocumentEdit[]) {
      const path = new URL(change.textDocument.uri).pathname;
      if (!touched.has(change.textDocument.uri)) touched.set(change.textDocument.uri, { version: null, text: readFileSync(path, 'utf8') });
    }
    const texts = applyWorkspaceEdit(edit, touched);
    for (const [u, text] of texts) {
      if (!this.documents.has(u)) this.ws.write(new URL(u).pathname.slice(this.ws.root.length + 1), text);
    }
    return texts;
  }
}

describe('quick fixes over stdio, with a client that resolves edits (as VS Code)', () => {
  let ws: TempProject;
  let editor: Editor;
  let init: any;

  before(async () => {
    ws = tempProject({ 'server.js': READ_WITH_ERROR_BRANCH, 'routes.js': THREE_ROUTES, 'package.json': PACKAGE_JSON });
    ({ editor, init } = await Editor.start(ws, CAPABILITIES_WITH_RESOLVE));
  });
  after(async () => {
    await editor?.client.stop();
    ws?.remove();
  });

  test('initialize announces code actions: quick fixes, source.fixAll.zerocopy, resolve', () => {
    assert.deepEqual(init.capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.zerocopy'], resolveProvider: true });
  });

  test('a finding lists its preferred fix, the alternatives, "disable for this line" and the docs', async () => {
    const diagnostics = await editor.open('server.js', READ_WITH_ERROR_BRANCH);
    assert.equal(diagnostics.length, 1);
    const actions = await editor.actions('server.js', diagnostics);
    const [expected] = engineFixes(ws.path('server.js'), READ_WITH_ERROR_BRANCH, PACKAGE_JSON);
    assert.ok(expected!.fixes[0]?.preferred, 'the fix engine has a preferred fix for this finding');
    // The fix engine's fixes, preferred first, then "disable" and "docs".
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred ?? false]),
      [...expected!.fixes.map((f) => [f.title, 'quickfix', f.preferred]), ['Disable `read-then-send` for this line', 'quickfix', false], ["Show the docs of zerocopy's `read-then-send` rule", 'quickfix', false]],
    );
    assert.equal(actions[0]!.edit, undefined, 'the edit waits for codeAction/resolve');
    const disable = actions.find((a) => a.title === 'Disable `read-then-send` for this line');
    assert.ok(disable?.edit, 'disable for this line, with its edit');
    const docs = actions.find((a) => a.command?.command === 'zerocopy.showRuleDocs');
    assert.deepEqual(docs?.command?.arguments, ['read-then-send']);
    for (const a of actions) assert.deepEqual(a.diagnostics, [diagnostics[0]]);
  });

  test('the docs action\'s command, run by the server for editors without the extension, shows the rule\'s page', async () => {
    const shown: any[] = [];
    editor.client.handlers.set('window/showDocument', (params) => {
      shown.push(params);
      return { success: true };
    });
    const diagnostics = await editor.diagnostics('server.js', 1);
    const docs = (await editor.actions('server.js', diagnostics)).find((a) => a.command?.command === 'zerocopy.showRuleDocs')!;
    const page = await editor.client.call('workspace/executeCommand', { command: docs.command!.command, arguments: docs.command!.arguments });
    assert.equal(page, pathToFileURL(join(__dirname, '../../../docs/rules/read-then-send.md')).href);
    assert.deepEqual(shown, [{ uri: page, takeFocus: true }]);
  });

  test('the preferred fix, applied as an editor applies it, removes the finding and adds zerocopy to package.json', async () => {
    const diagnostics = await editor.diagnostics('server.js', 1);
    const [preferred] = await editor.actions('server.js', diagnostics);
    const texts = await editor.apply(preferred!);
    const fixed = texts.get(uri(ws.path('server.js')))!;
    assert.match(fixed, /sendFile\(res,/);
    assert.match(fixed, /require\(['"]zerocopy['"]\)/);
    const pkg = JSON.parse(readFileSync(ws.path('package.json'), 'utf8'));
    assert.equal(typeof pkg.dependencies.zerocopy, 'string');
    assert.equal(pkg.dependencies.ws, '^8.0.0', 'the rest of package.json is kept');
    assert.deepEqual(await editor.change('server.js', fixed), [], 'the server finds nothing in the fixed text');
  });

  test('"disable for this line" silences the finding', async () => {
    const diagnostics = await editor.change('server.js', READ_WITH_ERROR_BRANCH);
    const disable = (await editor.actions('server.js', diagnostics)).find((a) => a.title.startsWith('Disable'))!;
    const text = (await editor.apply(disable)).get(uri(ws.path('server.js')))!;
    assert.equal(text.split('\n')[4], '  // zerocopy-disable-next-line read-then-send');
    assert.deepEqual(await editor.change('server.js', text), []);
  });

  test('a fix computed for an older version is never applied: not offered, not resolved, and its edit names its version', async () => {
    const old = await editor.change('server.js', READ_WITH_ERROR_BRANCH);
    const oldVersion = old[0].data.version as number;
    const [preferred] = await editor.actions('server.js', old);
    // The user types a line above; the server re-analyses.
    const moved = await editor.change('server.js', '// served from disk\n' + READ_WITH_ERROR_BRANCH);
    assert.equal(moved[0].range.start.line, old[0].range.start.line + 1);
    // The old diagnostic gets nothing.
    assert.deepEqual(await editor.actions('server.js', old), []);
    // The old action is refused when resolved (ContentModified).
    const { response } = editor.client.request('codeAction/resolve', preferred);
    const refused = await response;
    assert.equal(refused.error?.code, -32801, JSON.stringify(refused));
    // An edit computed before the change names the old version, which the editor refuses.
    const current = await editor.actions('server.js', moved);
    const edit = (await editor.resolve(current[0]!)).edit!;
    const change = (edit.documentChanges as TextDocumentEdit[]).find((c) => c.textDocument.uri === uri(ws.path('server.js')))!;
    assert.equal(change.textDocument.version, oldVersion + 1);
    assert.throws(
      () => applyWorkspaceEdit(edit, new Map([[change.textDocument.uri, { version: oldVersion + 2, text: 'edited again' }]])),
      VersionMismatch,
    );
  });

  test('fix-all applies every safe preferred fix of the file in one edit, none overlapping', async () => {
    const diagnostics = await editor.open('routes.js', THREE_ROUTES);
    assert.equal(diagnostics.length, 3);
    assert.equal((await editor.actions('routes.js', diagnostics)).some((a) => a.kind === 'source.fixAll.zerocopy'), false, 'not in the lightbulb');
    const [fixAll, ...others] = await editor.actions('routes.js', [], ['source.fixAll']);
    assert.equal(others.length, 0);
    assert.equal(fixAll!.kind, 'source.fixAll.zerocopy');
    const edit = (await editor.resolve(fixAll!)).edit!;
    for (const change of edit.documentChanges as TextDocumentEdit[]) {
      const text = change.textDocument.uri.endsWith('package.json') ? readFileSync(new URL(change.textDocument.uri).pathname, 'utf8') : THREE_ROUTES;
      assert.doesNotThrow(() => applyTextEdits(text, change.edits as TextEdit[]), `edits of ${change.textDocument.uri} do not overlap`);
    }
    const fixed = (await editor.apply(fixAll!)).get(uri(ws.path('routes.js')))!;
    const left = await editor.change('routes.js', fixed);
    assert.equal(left.length, 1, `only the finding without a fix is left:\n${fixed}`);
    assert.equal(left[0].range.start.line, fixed.split('\n').findIndex((l) => l.includes("'log.txt'")));
  });

  test('a finding without a fix says why, in the diagnostic (once the document rests) and in the hover', async () => {
    const u = uri(ws.path('routes.js'));
    const [kept] = await editor.diagnostics('routes.js', 2);
    const hover = await editor.client.call('textDocument/hover', { textDocument: { uri: u }, position: kept.range.start });
    assert.match(hover.contents.value, /No quick fix, because .+\./);
    // The publish right after the edit carries no note (fixes cost more than the analysis); the
    // document, left alone, is published again with it.
    const noted = await editor.client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === u && p.version === 2 && p.diagnostics.some((d: any) => /No quick fix, because .+\./.test(d.message)));
    assert.equal(noted.params.diagnostics.length, 1);
    const actions = await editor.actions('routes.js', [kept]);
    assert.equal(actions.filter((a) => a.isPreferred).length, 0);
    assert.ok(actions.some((a) => a.title.startsWith('Disable')), 'it can still be disabled');
  });
  test('malformed requests get InvalidParams; garbage among the diagnostics is passed over', async () => {
    const code = async (method: string, params: unknown) => (await editor.client.request(method, params).response).error?.code;
    assert.equal(await code('textDocument/codeAction', null), -32602);
    assert.equal(await code('textDocument/codeAction', { textDocument: { uri: 1 }, range: {}, context: {} }), -32602);
    assert.equal(await code('textDocument/codeAction', { textDocument: { uri: 'file:///x.js' }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: 'all' } }), -32602);
    assert.equal(await code('codeAction/resolve', 'fix it'), -32602);
    assert.equal(await code('workspace/executeCommand', { command: 'rm -rf', arguments: [] }), -32602);
    const [real] = await editor.diagnostics('routes.js', 2);
    const actions = await editor.actions('routes.js', [null, 7, { source: 'zerocopy' }, { source: 'zerocopy', range: 'x', data: { rule: 'read-then-send' } }, real]);
    assert.ok(actions.every((a) => !a.diagnostics || a.diagnostics.every((d) => d === real || JSON.stringify(d) === JSON.stringify(real))));
    assert.ok(actions.some((a) => a.title.startsWith('Disable')), 'the real diagnostic still gets its actions');
    // A resolve whose data is not ours comes back as it was.
    assert.deepEqual(await editor.client.call('codeAction/resolve', { title: 'other', data: { something: 1 } }), { title: 'other', data: { something: 1 } });
  });
});

describe('quick fixes over stdio, with a client that takes edits up front', () => {
  let ws: TempProject;
  let editor: Editor;

  before(async () => {
    ws = tempProject({ 'server.js': READ_WITH_ERROR_BRANCH, 'package.json': PACKAGE_JSON });
    ({ editor } = await Editor.start(ws, CAPABILITIES_WITHOUT_RESOLVE));
  });
  after(async () => {
    await editor?.client.stop();
    ws?.remove();
  });

  test('every action carries its edit, and the preferred one removes the finding', async () => {
    const diagnostics = await editor.open('server.js', READ_WITH_ERROR_BRANCH);
    const actions = await editor.actions('server.js', diagnostics);
    for (const a of actions) assert.ok(a.edit || a.command, a.title);
    const fixed = (await editor.apply(actions.find((a) => a.isPreferred)!)).get(uri(ws.path('server.js')))!;
    assert.deepEqual(await editor.change('server.js', fixed), []);
  });
});
