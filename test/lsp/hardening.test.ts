/**
 * The real server over stdio against a client or a repository that does not play by the rules:
 * messages before `initialize` and after `shutdown`, document versions going backwards, imports of
 * devices and FIFOs, a file past the engine's flow bound, and a repository's settings in an
 * untrusted workspace. Waits are on messages, never on time; the timeouts only detect a hang.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CLIENT_CAPABILITIES, LspClient } from './support/lspClient';
import { CLEAN, manySites, READ_THEN_SEND } from './support/sources';
import { tempProject, type TempProject } from './support/tempProject';

const uri = (path: string) => pathToFileURL(path).href;
const SERVER_NOT_INITIALIZED = -32002;
const INVALID_REQUEST = -32600;

function initializeParams(ws: TempProject, initializationOptions?: unknown) {
  return {
    processId: process.pid,
    rootUri: uri(ws.root),
    workspaceFolders: [{ uri: uri(ws.root), name: 'ws' }],
    capabilities: CLIENT_CAPABILITIES,
    ...(initializationOptions === undefined ? {} : { initializationOptions }),
  };
}

function open(client: LspClient, path: string, text: string, version = 1) {
  client.notify('textDocument/didOpen', { textDocument: { uri: uri(path), languageId: 'javascript', version, text } });
}

/** The publish for exactly this version (`timeoutMs` only detects a hang; big files take a while on a busy machine). */
async function diagnosticsAt(client: LspClient, path: string, version: number, since = 0, timeoutMs = 120_000) {
  const n = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri(path) && p.version === version, since, timeoutMs);
  return n.params.diagnostics as any[];
}

function hoverAt(path: string, line: number, character: number) {
  return { textDocument: { uri: uri(path) }, position: { line, character } };
}

describe('the LSP lifecycle', () => {
  let ws: TempProject;
  let client: LspClient;

  before(() => {
    ws = tempProject({ 'server.js': READ_THEN_SEND, 'clean.js': CLEAN });
    client = LspClient.start();
    client.handlers.set('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
  });
  after(async () => {
    await client?.stop();
    ws?.remove();
  });

  test('before initialize: every request is answered ServerNotInitialized, and nothing is analysed', async () => {
    const early = ws.path('server.js');
    // A document opened too early: dropped, as every notification before initialize is.
    open(client, early, READ_THEN_SEND);
    for (const [method, params] of [
      ['textDocument/hover', hoverAt(early, 3, 4)],
      ['zerocopy/analyzeWorkspace', {}],
      ['workspace/symbol', { query: 'x' }],
      ['shutdown', undefined],
    ] as const) {
      const answer = await client.request(method, params).response;
      assert.equal(answer.error?.code, SERVER_NOT_INITIALIZED, `${method}: ${JSON.stringify(answer)}`);
      assert.match(answer.error!.message, /not been initialized/);
    }
    await client.call('initialize', initializeParams(ws));
    client.notify('initialized', {});
    // A document opened now is analysed; had the early one been taken, it would have been analysed first.
    const later = ws.path('clean.js');
    open(client, later, CLEAN);
    await diagnosticsAt(client, later, 1);
    assert.deepEqual(client.diagnosticsFor(uri(early)), [], 'the document opened before initialize was never analysed');
    assert.equal(client.serverRequests.filter((r) => r.method === 'window/workDoneProgress/create').length, 0, 'no workspace analysis ran');
    assert.equal(await client.call('textDocument/hover', hoverAt(early, 3, 4)), null);
  });

  test('a second initialize is refused', async () => {
    const answer = await client.request('initialize', initializeParams(ws)).response;
    assert.equal(answer.error?.code, INVALID_REQUEST);
  });

  test('a didChange whose version does not go up is ignored with a log line, never analysed as the newer text', async () => {
    const path = ws.path('server.js');
    const since = client.mark();
    open(client, path, READ_THEN_SEND, 5);
    assert.equal((await diagnosticsAt(client, path, 5, since)).length, 1);
    // Version 3 would remove the finding; it is older than 5, and 5 again is not newer either.
    client.notify('textDocument/didChange', { textDocument: { uri: uri(path), version: 3 }, contentChanges: [{ text: CLEAN }] });
    client.notify('textDocument/didChange', { textDocument: { uri: uri(path), version: 5 }, contentChanges: [{ text: CLEAN }] });
    // Version 6 inserts a line at the top of version 5's text: the finding moves down one line.
    client.notify('textDocument/didChange', {
      textDocument: { uri: uri(path), version: 6 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// six\n' }],
    });
    const [d, ...others] = await diagnosticsAt(client, path, 6, since);
    assert.equal(others.length, 0);
    assert.equal(d.range.start.line, 4);
    assert.deepEqual(client.diagnosticsFor(uri(path), since).map((p) => p.version).filter((v) => v !== 5 && v !== 6), []);
    const logs = client.logs().join('\n');
    assert.match(logs, /ignored textDocument\/didChange: version 3 of file:\S+server\.js is not newer than the open version 5/);
    assert.match(logs, /ignored textDocument\/didChange: version 5 of file:\S+server\.js is not newer than the open version 5/);
  });

  test('malformed document messages are logged and dropped; the server carries on', async () => {
    const path = ws.path('server.js');
    const since = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: uri(ws.path('x.js')), languageId: 'javascript', version: 'one', text: 'x' } });
    client.notify('textDocument/didChange', { textDocument: { uri: uri(path), version: 7 }, contentChanges: [{ range: { start: { line: -1 } }, text: 'x' }] });
    client.notify('textDocument/didChange', { textDocument: { uri: uri(path), version: 8 } });
    client.notify('textDocument/didChange', { textDocument: { uri: uri(path), version: 9 }, contentChanges: [{ text: READ_THEN_SEND }] });
    assert.equal((await diagnosticsAt(client, path, 9, since)).length, 1);
    assert.equal(client.logs().filter((m) => /ignored textDocument\/did(Open|Change): it needs/.test(m)).length, 3);
  });

  test('a didChange with a range past the last line is dropped whole, and later edits apply to the text as it was', async () => {
    const path = ws.path('server.js');
    const since = client.mark();
    // The document has 8 lines (READ_THEN_SEND ends with a newline); the second change names line 20.
    client.notify('textDocument/didChange', {
      textDocument: { uri: uri(path), version: 10 },
      contentChanges: [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// ten\n' },
        { range: { start: { line: 20, character: 0 }, end: { line: 22, character: 0 } }, text: 'x' },
      ],
    });
    client.notify('textDocument/didChange', {
      textDocument: { uri: uri(path), version: 11 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// eleven\n' }],
    });
    const [d, ...others] = await diagnosticsAt(client, path, 11, since);
    assert.equal(others.length, 0);
    // Only version 11's line was added: the finding moved from line 3 to line 4.
    assert.equal(d.range.start.line, 4);
    assert.match(client.logs().join('\n'), /ignored textDocument\/didChange: change 1 of version 10 of \S+ has a range on a line the document does not have/);
    const hover = await client.call('textDocument/hover', hoverAt(path, 4, 4));
    assert.ok(hover, 'the hover still finds the finding where it is');
  });

  test('after shutdown: requests are answered InvalidRequest, and exit ends the process with 0', async () => {
    assert.equal(await client.call('shutdown'), null);
    for (const [method, params] of [
      ['textDocument/hover', hoverAt(ws.path('server.js'), 4, 2)],
      ['zerocopy/analyzeWorkspace', {}],
      ['workspace/symbol', { query: 'x' }],
      ['shutdown', undefined],
    ] as const) {
      const answer = await client.request(method, params).response;
      assert.equal(answer.error?.code, INVALID_REQUEST, `${method}: ${JSON.stringify(answer)}`);
      assert.match(answer.error!.message, /shut down; only exit/);
    }
    client.notify('exit');
    assert.equal(await client.exited, 0);
  });
});

describe('devices and FIFOs reached through imports and the walk', { skip: process.platform === 'win32' }, () => {
  let ws: TempProject;
  let client: LspClient;

  before(async () => {
    ws = tempProject({ 'clean.js': CLEAN });
    assert.equal(spawnSync('mkfifo', [ws.path('fifo.js')]).status, 0);
    symlinkSync('/dev/zero', ws.path('zero.js'));
    client = LspClient.start();
    client.handlers.set('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
    await client.call('initialize', initializeParams(ws));
    client.notify('initialized', {});
  });
  after(async () => {
    await client?.stop();
    ws?.remove();
  });

  test('a document importing /dev/zero, a FIFO and a link to a device is analysed, and the server keeps answering', async () => {
    const path = ws.path('app.js');
    open(client, path, [
      "const fs = require('fs');",
      "const http = require('http');",
      "const zero = require('/dev/zero');",
      "const fifo = require('./fifo');",
      "const link = require('./zero');",
      'http.createServer((req, res) => res.end(zero.load() + fifo.load() + link.load())).listen(0);',
      '',
    ].join('\n'));
    assert.deepEqual(await diagnosticsAt(client, path, 1), []);
    assert.equal(await client.call('textDocument/hover', hoverAt(path, 5, 40)), null);
    assert.ok(client.alive);
  });

  test('a workspace analysis skips them, each with a logged reason', async () => {
    const result = await client.call('zerocopy/analyzeWorkspace', {});
    assert.equal(result.cancelled, false);
    assert.equal(result.skipped, 2);
    const logs = client.logs().join('\n');
    assert.match(logs, /skipped \S+fifo\.js: not a regular file \(FIFO\)/);
    assert.match(logs, /skipped \S+zero\.js: not a regular file \(link to a character device\)/);
  });
});

describe('a file past the flow bound, in the editor', () => {
  let ws: TempProject;
  let client: LspClient;

  before(async () => {
    ws = tempProject({});
    client = LspClient.start();
    client.handlers.set('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
    await client.call('initialize', initializeParams(ws));
    client.notify('initialized', {});
  });
  after(async () => {
    await client?.stop();
    ws?.remove();
  });

  test('publishes the findings it kept, an information note saying so, a log line, and the count in the status', async () => {
    const path = ws.path('many.js');
    open(client, path, manySites(5_100));
    const diagnostics = await diagnosticsAt(client, path, 1);
    assert.equal(diagnostics.length, 5_001);
    const note = diagnostics.at(-1);
    assert.equal(note.code, 'analysis-incomplete');
    assert.equal(note.severity, 3);
    assert.deepEqual(note.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.match(note.message, /^Zero-Copy Advisor analysed this file only in part: the analysis stopped at 20,000 data flows.*\(5,000 reported\)\.$/);
    await client.until(() => client.logs().find((m) => /many\.js was analysed only in part/.test(m)), 15_000, 'the log line');
    await client.waitFor('zerocopy/status', (p) => p.incomplete === 1 && p.findings === 5_000, 0, 60_000);
  });
});

describe('Workspace Trust: a repository\'s settings in Restricted Mode', () => {
  let ws: TempProject;
  /** What the repository's settings say: a limit 50 times the default, so the big file is read. */
  const repositorySettings = { maxFileSize: 100_000_000, exclude: ['excluded.js'] };
  /** A finding, then enough comment to pass the default limit of 2,000,000 bytes. */
  const BIG = READ_THEN_SEND + ('// ' + 'filler '.repeat(10) + '\n').repeat(31_000);

  before(() => {
    ws = tempProject({});
  });
  after(() => ws?.remove());

  async function startServer(initializationOptions: unknown) {
    const client = LspClient.start();
    client.handlers.set('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => repositorySettings));
    await client.call('initialize', initializeParams(ws, initializationOptions));
    client.notify('initialized', {});
    return client;
  }

  test('untrusted: the size limit cannot be raised above the default; once trusted it can', async (t) => {
    const client = await startServer({ workspaceTrusted: false });
    t.after(() => client.stop());
    const path = ws.path('big.js');
    open(client, path, BIG);
    assert.deepEqual(await diagnosticsAt(client, path, 1), []);
    await client.until(() => client.logs().find((m) => m.includes('skipped') && m.includes('big.js') && /the limit is 2000000|limit of 2000000/.test(m)), 15_000, 'the skip to be logged');
    assert.ok(client.logs().some((m) => /the workspace is not trusted/.test(m)));
    // Other settings still apply: a repository may exclude its own files.
    const excluded = ws.path('excluded.js');
    open(client, excluded, READ_THEN_SEND);
    assert.deepEqual(await diagnosticsAt(client, excluded, 1), []);

    // The user trusts the folder: the repository's limit now applies and the file is analysed.
    const since = client.mark();
    client.notify('zerocopy/workspaceTrust', { trusted: true });
    await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri(path) && p.diagnostics.length === 1, since, 120_000);
  });

  test('a client that says nothing of trust (editors without Workspace Trust) is trusted', async (t) => {
    const client = await startServer(undefined);
    t.after(() => client.stop());
    const path = ws.path('big.js');
    open(client, path, BIG);
    assert.equal((await diagnosticsAt(client, path, 1)).length, 1);
  });
});
