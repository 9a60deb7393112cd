/**
 * The real server (`node dist/cli.js lsp --stdio`) through its real protocol: a JSON-RPC client
 * over the process's stdio opens, edits and closes documents and checks diagnostics, hover,
 * settings, watched files, workspace analysis with progress and cancellation, and that one
 * failing file does not take the server down.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, CLIENT_CAPABILITIES, LspClient, withTimeout } from './support/lspClient';
import {
  APP_USES_HELPER,
  CLEAN,
  COMMAND_USES_INJECTED_FS,
  INJECTED_FS_READS,
  HELPER_READS,
  HELPER_RENDERS,
  READ_THEN_SEND,
  STREAM_THEN_SYNTAX_ERROR,
  STREAM_TO_SOCKET,
} from './support/sources';
import { tempProject, type TempProject } from './support/tempProject';

const PACKAGE_ROOT = join(__dirname, '../../..');
const uri = (path: string) => pathToFileURL(path).href;
const range = (line: number, character: number, endLine: number, endCharacter: number) => ({
  start: { line, character },
  end: { line: endLine, character: endCharacter },
});

async function startServer(ws: TempProject, settings: () => unknown, env: NodeJS.ProcessEnv = {}) {
  const client = LspClient.start(env);
  client.handlers.set('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => settings()));
  const init = await client.call('initialize', {
    processId: process.pid,
    rootUri: uri(ws.root),
    workspaceFolders: [{ uri: uri(ws.root), name: 'ws' }],
    capabilities: CLIENT_CAPABILITIES,
  });
  client.notify('initialized', {});
  return { client, init };
}

function open(client: LspClient, path: string, text: string, version = 1) {
  client.notify('textDocument/didOpen', { textDocument: { uri: uri(path), languageId: 'javascript', version, text } });
}

/** The publish for exactly this version of the document (waits for it). */
async function diagnosticsAt(client: LspClient, path: string, version: number, since = 0) {
  const n = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri(path) && p.version === version, since);
  return n.params.diagnostics as any[];
}

describe('the language server over stdio', () => {
  let ws: TempProject;
  let client: LspClient;
  let init: any;
  let settings: Record<string, unknown> = {};

  before(async () => {
    ws = tempProject({
      '.gitignore': 'ignored/\n',
      'server.js': READ_THEN_SEND,
      'stream.js': STREAM_TO_SOCKET,
      'typing.js': STREAM_THEN_SYNTAX_ERROR,
      'clean.js': CLEAN,
      'helper.js': HELPER_READS,
      'app.js': APP_USES_HELPER,
      'ignored/server.js': READ_THEN_SEND,
      'node_modules/dep/index.js': READ_THEN_SEND,
    });
    ({ client, init } = await startServer(ws, () => settings));
  });
  after(async () => {
    await client?.stop();
    ws?.remove();
  });

  test('initialize announces incremental sync and hover', () => {
    assert.equal(init.capabilities.textDocumentSync.change, 2);
    assert.equal(init.capabilities.textDocumentSync.openClose, true);
    assert.equal(init.capabilities.hoverProvider, true);
    assert.equal(init.serverInfo.name, 'zerocopy');
  });

  test('didOpen publishes the finding on the source call, with rule, docs link and the path to the sink', async () => {
    const path = ws.path('server.js');
    open(client, path, READ_THEN_SEND);
    const [d, ...others] = await diagnosticsAt(client, path, 1);
    assert.equal(others.length, 0);
    assert.deepEqual(d.range, range(3, 2, 3, 13));
    assert.equal(d.code, 'read-then-send');
    assert.equal(d.source, 'zerocopy');
    assert.equal(d.severity, 2);
    const docPage = join(PACKAGE_ROOT, 'docs/rules/read-then-send.md');
    assert.deepEqual(d.codeDescription, existsSync(docPage) ? { href: pathToFileURL(docPage).href } : undefined);
    assert.deepEqual(d.relatedInformation[0].location, { uri: uri(path), range: range(3, 2, 3, 13) });
    assert.deepEqual(d.relatedInformation.at(-1).location.range.start, { line: 4, character: 4 });
    assert.ok(d.relatedInformation.every((r: any) => r.location.uri === uri(path) && typeof r.message === 'string'));
    assert.deepEqual(d.data, {
      rule: 'read-then-send',
      recommendation: 'sendfile',
      findingIndex: 0,
      version: 1,
      sink: { kind: 'http-response', transport: 'tcp' },
      holds: 'whole-file',
    });
  });

  test('an incremental edit moves the diagnostic with the code', async () => {
    const path = ws.path('server.js');
    client.notify('textDocument/didChange', {
      textDocument: { uri: uri(path), version: 2 },
      contentChanges: [{ range: range(0, 0, 0, 0), text: '// served from disk\n' }],
    });
    const [d] = await diagnosticsAt(client, path, 2);
    assert.deepEqual(d.range, range(4, 2, 4, 13));
    assert.equal(d.data.version, 2);
  });

  test('a burst of edits: once the server has read them, only the newest version is ever published', async () => {
    const path = ws.path('server.js');
    const since = client.mark();
    const edits = [3, 4, 5, 6, 7].map((version) => ({
      jsonrpc: '2.0' as const,
      method: 'textDocument/didChange',
      params: { textDocument: { uri: uri(path), version }, contentChanges: [{ range: range(0, 0, 0, 0), text: `// edit ${version}\n` }] },
    }));
    // A hover after the edits, in the same write: its answer proves the server has read them all.
    const hover = client.batchRequest('textDocument/hover', { textDocument: { uri: uri(path) }, position: { line: 9, character: 5 } });
    client.write([...edits, hover.message]);
    const barrier = await withTimeout(hover.response, 15_000, 'hover');
    const [d] = await diagnosticsAt(client, path, 7, since);
    assert.deepEqual(d.range, range(9, 2, 9, 13));
    const published = client.diagnosticsFor(uri(path), since);
    const versions = published.map((p) => p.version!);
    assert.deepEqual([...versions].sort((a, b) => a - b), versions, 'versions never go back');
    for (const p of published.filter((p) => p.seq > barrier.seq!)) assert.equal(p.version, 7);
    // Whichever versions were published, each one's diagnostic sits where that version's text has it.
    for (const p of published) assert.equal(p.diagnostics[0].range.start.line, p.version! + 2);
  });

  test('hover on the finding explains the copy path in numbers', async () => {
    const path = ws.path('server.js');
    const hover = await client.call('textDocument/hover', { textDocument: { uri: uri(path) }, position: { line: 9, character: 5 } });
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /`read-then-send`/);
    assert.match(hover.contents.value, /\| today: read\(\) \+ write\(\) through a JS buffer \| 4 \| 2 \| 2 \|/);
    assert.match(hover.contents.value, /\| after `sendfile`: sendfile\(\) \| 2 \| 0 \| 1 \|/);
    assert.match(hover.contents.value, /JS heap held per request: today the whole file/);
    assert.deepEqual(hover.range, range(9, 2, 9, 13));
    assert.equal(await client.call('textDocument/hover', { textDocument: { uri: uri(path) }, position: { line: 0, character: 1 } }), null);
  });

  test('an edit that removes the flow clears the diagnostic for that version', async () => {
    const path = ws.path('server.js');
    client.notify('textDocument/didChange', {
      textDocument: { uri: uri(path), version: 8 },
      contentChanges: [{ range: range(10, 4, 10, 18), text: "res.end('ok');" }],
    });
    assert.deepEqual(await diagnosticsAt(client, path, 8), []);
  });

  test('a syntax error while typing still gives the findings in what parses', async () => {
    const path = ws.path('typing.js');
    open(client, path, STREAM_THEN_SYNTAX_ERROR);
    const diagnostics = await diagnosticsAt(client, path, 1);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range]),
      [['stream-to-socket', range(3, 2, 3, 21)]],
    );
  });

  test('code with no finding publishes an empty list', async () => {
    const path = ws.path('clean.js');
    open(client, path, CLEAN);
    assert.deepEqual(await diagnosticsAt(client, path, 1), []);
  });

  test('didClose clears the diagnostics of the closed document', async () => {
    const path = ws.path('typing.js');
    const since = client.mark();
    client.notify('textDocument/didClose', { textDocument: { uri: uri(path) } });
    const n = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri(path), since);
    assert.deepEqual(n.params.diagnostics, []);
  });

  test('a flow through a local module is published in the module, and follows its changes on disk', async () => {
    const since = client.mark();
    open(client, ws.path('app.js'), APP_USES_HELPER);
    const inHelper = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri(ws.path('helper.js')), since);
    const [d] = inHelper.params.diagnostics;
    assert.equal(d.code, 'read-then-send');
    assert.deepEqual(d.range, range(2, 9, 2, 24));
    assert.equal(inHelper.params.version, undefined);
    assert.ok(d.relatedInformation.some((r: any) => r.location.uri === uri(ws.path('app.js'))));
    assert.deepEqual(await diagnosticsAt(client, ws.path('app.js'), 1, since), []);

    const changed = client.mark();
    writeFileSync(ws.path('helper.js'), HELPER_RENDERS);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(ws.path('helper.js')), type: 2 }] });
    const cleared = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri(ws.path('helper.js')), changed);
    assert.deepEqual(cleared.params.diagnostics, []);
  });

  test('severity comes from the settings, re-read when they change; off hides the rule', async () => {
    const path = ws.path('stream.js');
    open(client, path, STREAM_TO_SOCKET);
    assert.equal((await diagnosticsAt(client, path, 1))[0].severity, 2);
    let since = client.mark();
    settings = { severity: { 'stream-to-socket': 'error' } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const asError = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri(path), since);
    assert.deepEqual(asError.params.diagnostics.map((d: any) => d.severity), [1]);
    since = client.mark();
    settings = { severity: { 'stream-to-socket': 'off' } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const hidden = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri(path), since);
    assert.deepEqual(hidden.params.diagnostics, []);
    settings = {};
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri(path) && p.diagnostics.length === 1, since);
  });

  test('a file over the size limit is skipped with a logged reason', async () => {
    const path = ws.path('big.js');
    const since = client.mark();
    settings = { maxFileSize: 1000 };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    open(client, path, READ_THEN_SEND + '\n'.repeat(2000));
    assert.deepEqual(await diagnosticsAt(client, path, 1, since), []);
    await client.until(() => client.logs().find((m) => m.includes('skipped') && m.includes('big.js')), 15_000, 'the skip to be logged');
    settings = {};
    client.notify('workspace/didChangeConfiguration', { settings: null });
    client.notify('textDocument/didClose', { textDocument: { uri: uri(path) } });
  });

  test('bad input in the editor: 10,000 nested parentheses and a 3 MB one-line bundle neither crash nor hang the server', async () => {
    const nested = ws.path('nested.js');
    const bundle = ws.path('bundle.min.js');
    const since = client.mark();
    open(client, nested, 'const x = ' + '('.repeat(10_000) + '1' + ')'.repeat(10_000) + ';\n');
    open(client, bundle, 'var a=1;'.repeat(3 * 1024 * 1024 / 8));
    await diagnosticsAt(client, nested, 1, since);
    assert.deepEqual(await diagnosticsAt(client, bundle, 1, since), []);
    await client.until(() => client.logs().find((m) => m.includes('skipped') && m.includes('bundle.min.js')), 15_000, 'the skip to be logged');
    assert.ok(client.alive);
    client.notify('textDocument/didClose', { textDocument: { uri: uri(nested) } });
    client.notify('textDocument/didClose', { textDocument: { uri: uri(bundle) } });
  });

  test('analyzeWorkspace publishes every file with work-done progress, honouring .gitignore and node_modules', async () => {
    const since = client.mark();
    const result = await client.call('zerocopy/analyzeWorkspace', {});
    assert.equal(result.cancelled, false);
    // server.js (open), stream.js (open), typing.js, clean.js, helper.js, app.js (open); big.js was never written to disk.
    assert.equal(result.files, 6);
    assert.ok(result.findings >= 2, JSON.stringify(result));
    const create = client.serverRequests.find((r) => r.method === 'window/workDoneProgress/create');
    assert.ok(create, 'the server asked for a progress token');
    const token = create.params.token;
    const progress = client.notifications.filter((n) => n.seq >= since && n.method === '$/progress' && n.params.token === token);
    assert.equal(progress[0]!.params.value.kind, 'begin');
    assert.equal(progress[0]!.params.value.cancellable, true);
    assert.equal(progress.at(-1)!.params.value.kind, 'end');
    const reports = progress.filter((n) => n.params.value.kind === 'report');
    assert.ok(reports.length > 0);
    assert.equal(reports.at(-1)!.params.value.percentage, 100);
    assert.match(reports.at(-1)!.params.value.message, /^6\/6 /);
    // A closed file with a finding is published; ignored and node_modules files are not analysed.
    const typing = client.diagnosticsFor(uri(ws.path('typing.js')), since).at(-1);
    assert.deepEqual(typing?.diagnostics.map((d) => d.code), ['stream-to-socket']);
    assert.deepEqual(client.diagnosticsFor(uri(ws.path('ignored/server.js'))), []);
    assert.deepEqual(client.diagnosticsFor(uri(ws.path('node_modules/dep/index.js'))), []);
    // The status bar heard about the run and its totals.
    const statuses = client.notifications.filter((n) => n.seq >= since && n.method === 'zerocopy/status').map((n) => n.params);
    assert.ok(statuses.some((s) => s.state === 'analysing'));
    assert.equal(statuses.at(-1).state, 'idle');
    assert.ok(statuses.at(-1).findings >= 2);
  });

  test('after a workspace analysis, files created on disk are analysed when the watcher reports them', async () => {
    const since = client.mark();
    const created = ws.write('routes/files.js', STREAM_TO_SOCKET);
    const vendored = ws.write('node_modules/dep/stream.js', STREAM_TO_SOCKET);
    client.notify('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uri(vendored), type: 1 },
        { uri: uri(created), type: 1 },
      ],
    });
    const n = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri(created), since);
    assert.deepEqual(n.params.diagnostics.map((d: any) => d.code), ['stream-to-socket']);
    assert.deepEqual(client.diagnosticsFor(uri(vendored)), []);
    assert.ok(client.serverRequests.some((r) => r.method === 'client/registerCapability' && r.params.registrations.some((g: any) => g.method === 'workspace/didChangeWatchedFiles')));
  });

  test('after a workspace analysis, a closed document goes back to the diagnostics of its text on disk', async () => {
    // The editor's server.js lost its finding (edit above); the file on disk still has it.
    const path = ws.path('server.js');
    const since = client.mark();
    client.notify('textDocument/didClose', { textDocument: { uri: uri(path) } });
    const n = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri(path) && p.diagnostics.length > 0, since);
    assert.equal(n.params.version, undefined);
    assert.deepEqual(n.params.diagnostics[0].range, range(3, 2, 3, 13));
  });
});

describe('imports through the project\'s module configs (tsconfig paths)', () => {
  let ws: TempProject;
  let client: LspClient;
  const TSCONFIG = '{\n  // sources by area\n  "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["lib/*"] } },\n}\n';
  const STORAGE = "const fs = require('fs');\nexports.open = (p) => fs.createReadStream(p);\n";
  const SERVER = "const http = require('http');\nconst { open } = require('@lib/storage');\nhttp.createServer((req, res) => open('./big.bin').pipe(res)).listen(8082);\n";

  before(async () => {
    ws = tempProject({ 'tsconfig.json': TSCONFIG, 'lib/storage.js': STORAGE });
    ({ client } = await startServer(ws, () => ({})));
  });
  after(async () => {
    await client?.stop();
    ws?.remove();
  });

  test('a finding reached through an alias goes when tsconfig.json drops the alias on disk, and comes back with it', async () => {
    const storage = uri(ws.path('lib/storage.js'));
    let since = client.mark();
    open(client, ws.path('server.js'), SERVER);
    const found = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === storage && p.diagnostics.length === 1, since);
    assert.deepEqual(found.params.diagnostics.map((d: any) => d.code), ['stream-to-socket']);

    since = client.mark();
    writeFileSync(ws.path('tsconfig.json'), '{ "compilerOptions": { "strict": true } }\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(ws.path('tsconfig.json')), type: 2 }] });
    await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === storage && p.diagnostics.length === 0, since);

    since = client.mark();
    writeFileSync(ws.path('tsconfig.json'), TSCONFIG);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(ws.path('tsconfig.json')), type: 2 }] });
    await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === storage && p.diagnostics.length === 1, since);
    const watchers = client.serverRequests
      .filter((r) => r.method === 'client/registerCapability')
      .flatMap((r) => r.params.registrations.flatMap((g: any) => g.registerOptions?.watchers ?? []));
    assert.ok(watchers.some((w: any) => String(w.globPattern).includes('json')), 'config files are watched');
  });
});

describe('workspace analysis is cancellable', () => {
  let ws: TempProject;
  let client: LspClient;
  const FILES = 1500;

  before(async () => {
    ws = tempProject();
    for (let i = 0; i < FILES; i++) ws.write(`src/m${String(i).padStart(4, '0')}.js`, i % 50 === 0 ? STREAM_TO_SOCKET : CLEAN);
    ({ client } = await startServer(ws, () => ({})));
  });
  after(async () => {
    await client?.stop();
    ws?.remove();
  });

  test('$/cancelRequest stops it promptly and the result says cancelled', async () => {
    const since = client.mark();
    const { id, response } = client.request('zerocopy/analyzeWorkspace', {});
    await client.waitFor('$/progress', (p) => p.value.kind === 'begin', since);
    client.notify('$/cancelRequest', { id });
    const { result } = await withTimeout(response, 15_000, 'the cancelled analysis');
    assert.equal(result.cancelled, true);
    assert.ok(result.files < FILES, `analysed ${result.files} of ${FILES}`);
    await client.waitFor('$/progress', (p) => p.value.kind === 'end', since);
  });

  test('cancelling the progress stops it too', async () => {
    const since = client.mark();
    const { response } = client.request('zerocopy/analyzeWorkspace', {});
    const begin = await client.waitFor('$/progress', (p) => p.value.kind === 'begin', since);
    client.notify('window/workDoneProgress/cancel', { token: begin.params.token });
    const { result } = await withTimeout(response, 15_000, 'the cancelled analysis');
    assert.equal(result.cancelled, true);
    assert.ok(result.files < FILES, `analysed ${result.files} of ${FILES}`);
  });

  test('run to the end, it analyses every file and reports each finding', async () => {
    const since = client.mark();
    const result = await client.call('zerocopy/analyzeWorkspace', {}, 120_000);
    assert.deepEqual(result, { files: FILES, findings: FILES / 50, skipped: 0, cancelled: false });
    const published = client.notifications.filter((n) => n.seq >= since && n.method === 'textDocument/publishDiagnostics');
    assert.equal(published.filter((n) => n.params.diagnostics.length > 0).length, FILES / 50);
  });
});

describe('an exception while analysing one file', () => {
  let ws: TempProject;
  let client: LspClient;

  before(async () => {
    ws = tempProject();
    ({ client } = await startServer(ws, () => ({}), { ZEROCOPY_FAULT_FILES: 'explode' }));
  });
  after(async () => {
    await client?.stop();
    ws?.remove();
  });

  test('is logged with the file name and stack, clears that file, and the server carries on', async () => {
    const bad = ws.write('explode.js', READ_THEN_SEND);
    open(client, bad, READ_THEN_SEND);
    assert.deepEqual(await diagnosticsAt(client, bad, 1), []);
    const error = await client.until(() => client.logs(1).find((m) => m.includes('explode.js')), 15_000, 'the error log');
    assert.match(error, /analysing .*explode\.js failed/);
    assert.match(error, /injected fault/);
    assert.match(error, /\n\s+at /);

    const good = ws.write('fine.js', READ_THEN_SEND);
    open(client, good, READ_THEN_SEND);
    assert.deepEqual((await diagnosticsAt(client, good, 1)).map((d) => d.code), ['read-then-send']);
    assert.ok(client.alive);
    assert.equal(await client.stop(), 0);
  });
});

describe('other transports and clients', () => {
  test('--node-ipc (what the VS Code client uses) answers initialize over the IPC channel', async (t) => {
    const child = fork(CLI, ['lsp', '--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    t.after(() => child.exitCode === null && child.kill('SIGKILL'));
    const response = new Promise<any>((resolve) => child.on('message', (m: any) => m.id === 1 && resolve(m)));
    child.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
    const m = await withTimeout(response, 15_000, 'initialize over IPC');
    assert.equal(m.result.capabilities.hoverProvider, true);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.send({ jsonrpc: '2.0', id: 2, method: 'shutdown' });
    child.send({ jsonrpc: '2.0', method: 'exit' });
    await withTimeout(exited, 15_000, 'the server to exit');
  });

  test('after a workspace analysis, a method called on an injected object is looked up among the walked files', async (t) => {
    const ws = tempProject({ 'lib/physical-fs.js': INJECTED_FS_READS, 'commands/get.js': COMMAND_USES_INJECTED_FS });
    const { client } = await startServer(ws, () => ({}));
    t.after(async () => {
      await client.stop();
      ws.remove();
    });
    const result = await client.call('zerocopy/analyzeWorkspace', {});
    assert.deepEqual(result, { files: 2, findings: 1, skipped: 0, cancelled: false });
    const published = client.diagnosticsFor(uri(ws.path('lib/physical-fs.js'))).at(-1);
    const [d] = published?.diagnostics ?? [];
    assert.equal(d?.code, 'stream-to-socket');
    assert.deepEqual(d.range, range(5, 21, 5, 40));
    // The path to the sink runs through the handler, which never imports the file system.
    assert.ok(
      d.relatedInformation.some((r: any) => r.location.uri === uri(ws.path('commands/get.js')) && r.location.range.start.line === 3),
      JSON.stringify(d.relatedInformation),
    );
  });

  test('a client that cannot answer workspace/configuration can pass settings as initializationOptions', async (t) => {
    const ws = tempProject({ 'server.js': READ_THEN_SEND });
    const client = LspClient.start();
    t.after(async () => {
      await client.stop();
      ws.remove();
    });
    await client.call('initialize', {
      processId: process.pid,
      rootUri: uri(ws.root),
      capabilities: {},
      initializationOptions: { zerocopy: { severity: { 'read-then-send': 'hint' } } },
    });
    client.notify('initialized', {});
    open(client, ws.path('server.js'), READ_THEN_SEND);
    const [d] = await diagnosticsAt(client, ws.path('server.js'), 1);
    assert.equal(d.severity, 4);
    assert.equal(client.serverRequests.filter((r) => r.method === 'workspace/configuration').length, 0);
  });
});
