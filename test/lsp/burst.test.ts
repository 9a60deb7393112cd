/**
 * Edits that arrive together are analysed together (docs/lsp.md, "Never stale, never slow"): the
 * real server over stdio gets a burst of edits in one write and must publish the newest version,
 * having analysed few of the versions in between. Counts, not times: on a busy machine the
 * burst may reach the server in a few reads, each of which may cost one analysis.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { CLIENT_CAPABILITIES, LspClient } from './support/lspClient';
import { READ_THEN_SEND } from './support/sources';
import { tempProject, type TempProject } from './support/tempProject';

const EDITS = 500;
/** Far fewer than EDITS: before coalescing the server published about one version per edit. */
const MOST_STALE = 20;

let ws: TempProject;
let client: LspClient;

before(async () => {
  ws = tempProject({});
  client = LspClient.start();
  client.handlers.set('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
  await client.call('initialize', { processId: process.pid, rootUri: pathToFileURL(ws.root).href, capabilities: CLIENT_CAPABILITIES });
  client.notify('initialized', {});
});

after(async () => {
  await client.stop();
  ws.remove();
});

test(`${EDITS} edits in one write: the newest version is published, and at most ${MOST_STALE} versions before it`, async () => {
  const path = ws.path('server.js');
  const uri = pathToFileURL(path).href;
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version: 1, text: READ_THEN_SEND } });
  await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === 1);
  const since = client.mark();
  // Each edit adds a line above the finding (on line 3 of the first version).
  const edits = Array.from({ length: EDITS }, (_, i) => ({
    method: 'textDocument/didChange',
    params: { textDocument: { uri, version: i + 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `// edit ${i + 2}\n` }] },
  }));
  client.write(edits);
  const newest = EDITS + 1;
  const last = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === newest, since, 60_000);
  assert.deepEqual(
    last.params.diagnostics.map((d: { range: { start: { line: number } } }) => d.range.start.line),
    [3 + EDITS],
  );
  // Nothing is published for a version older than one already published.
  const published = client.diagnosticsFor(uri, since);
  const versions = published.map((p) => p.version!);
  assert.deepEqual([...versions].sort((a, b) => a - b), versions);
  const stale = versions.filter((v) => v < newest);
  assert.ok(stale.length <= MOST_STALE, `${stale.length} versions before the newest were published (${stale.slice(0, 10).join(', ')}…)`);
});
