/**
 * Fuzzing the language server over its real stdio: documents opened with random text or cut-up
 * real code, random incremental edits, hovers at random positions (inside and past the text), and
 * malformed messages, from one seeded stream. 0 crashes (the process alive, no error logged, no
 * request answered with an error) and 0 hangs: every request answered within HANG_MS, and at the
 * end every open document published at its last version (bounds that detect a hang; they time
 * nothing). The seed is printed; ZC_FUZZ_SEED=<seed> replays the same session.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient, withTimeout, type Message } from '../lsp/support/lspClient';
import { tempProject } from '../lsp/support/tempProject';
import { HELPER_READS, READ_THEN_SEND } from '../lsp/support/sources';
import { realSources } from './support/corpus';
import { fuzzSeed, Random, randomText } from './support/random';

const STEPS = Number(process.env.ZC_FUZZ_SERVER_STEPS ?? 300);
const HANG_MS = 60_000;
const LANGUAGES = ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'];
const INVALID_PARAMS = -32602;

test('language server fuzz: garbage documents, random edits, hovers and malformed messages: no crash, no hang', async (t) => {
  const seed = fuzzSeed();
  t.diagnostic(`seed ${seed}, ${STEPS} steps (ZC_FUZZ_SEED=${seed} replays this session)`);
  const r = new Random(seed);
  const sources = realSources();
  const ws = tempProject({ 'helper.js': HELPER_READS, 'server.js': READ_THEN_SEND });
  t.after(() => ws.remove());
  const client = await LspClient.onFolder(ws.root);
  t.after(() => {
    if (client.alive) client.process.kill('SIGKILL');
  });

  const open = new Map<string, TextDocument>();
  /** Every request sent, with the error code it must get (malformed params: InvalidParams), or none. */
  const answers: Array<{ step: number; method: string; params: unknown; response: Promise<Message>; error?: number }> = [];
  const request = (step: number, method: string, params: unknown, error?: number) =>
    answers.push({ step, method, params, response: client.request(method, params).response, ...(error === undefined ? {} : { error }) });
  const counts: Record<string, number> = {};
  let nextDocument = 0;

  for (let step = 0; step < STEPS; step++) {
    const docs = [...open.values()];
    const action = docs.length === 0 || (docs.length < 4 && r.chance(0.1)) ? 'open' : r.pick(['change', 'change', 'change', 'hover', 'hover', 'close', 'malformed'] as const);
    counts[action] = (counts[action] ?? 0) + 1;
    if (action === 'open') {
      const uri = pathToFileURL(ws.path(`doc${nextDocument++}${r.pick(['.js', '.ts', '.tsx', '.mjs'])}`)).href;
      const text = r.chance(0.5) ? randomText(r, 4000) : r.pick(sources).slice(0, r.int(0, 20_000));
      const languageId = r.pick(LANGUAGES);
      open.set(uri, TextDocument.create(uri, languageId, 1, text));
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    } else if (action === 'change') {
      const doc = r.pick(docs);
      const version = doc.version + 1;
      // Each change is drawn against the text the previous ones left, as LSP orders them (on a
      // copy: `update` changes the document it is given, and a dropped message changes nothing).
      let updated = TextDocument.create(doc.uri, doc.languageId, doc.version, doc.getText());
      let outside = false;
      const changes = Array.from({ length: r.int(1, 3) }, () => {
        if (r.chance(0.05)) {
          const change = { text: randomText(r, 2000) };
          updated = TextDocument.update(updated, [change], version);
          return change;
        }
        if (r.chance(0.03)) {
          // A range on a line past the end: the server must drop the whole message.
          outside = true;
          return { range: { start: { line: updated.lineCount + r.int(0, 3), character: 0 }, end: { line: updated.lineCount + r.int(3, 6), character: 1 } }, text: 'x' };
        }
        const length = updated.getText().length;
        const start = r.int(0, length);
        const end = Math.min(length, start + (r.chance(0.5) ? 0 : r.int(0, 50)));
        const change = { range: { start: updated.positionAt(start), end: updated.positionAt(end) }, text: r.chance(0.3) ? '' : randomText(r, 40) };
        updated = TextDocument.update(updated, [change], version);
        return change;
      });
      if (!outside) open.set(doc.uri, updated);
      client.notify('textDocument/didChange', { textDocument: { uri: doc.uri, version }, contentChanges: changes });
    } else if (action === 'hover') {
      const doc = r.pick(docs);
      // Anywhere in the text, and sometimes past its end.
      const position = r.chance(0.8) ? doc.positionAt(r.int(0, doc.getText().length)) : { line: doc.lineCount + r.int(0, 5), character: r.int(0, 500) };
      request(step, 'textDocument/hover', { textDocument: { uri: doc.uri }, position });
    } else if (action === 'close') {
      const doc = r.pick(docs);
      open.delete(doc.uri);
      client.notify('textDocument/didClose', { textDocument: { uri: doc.uri } });
    } else {
      const doc = r.pick(docs);
      const junk = r.pick([
        () => client.notify('textDocument/didChange', { textDocument: { uri: doc.uri, version: doc.version }, contentChanges: [{ text: 'stale' }] }),
        () => client.notify('textDocument/didChange', { textDocument: { uri: doc.uri }, contentChanges: 'x' }),
        () => client.notify('textDocument/didOpen', { textDocument: { uri: 42 } }),
        () => client.notify('textDocument/didChange', null),
        () => client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: 7 }, null] }),
        () => request(step, 'textDocument/hover', { textDocument: {}, position: 'here' }, INVALID_PARAMS),
        () => request(step, 'textDocument/hover', null, INVALID_PARAMS),
      ]);
      junk();
    }
  }
  t.diagnostic(`actions: ${JSON.stringify(counts)}`);

  for (const { step, method, params, response, error } of answers) {
    const answer = await withTimeout(response, HANG_MS, `the answer to ${method} sent at step ${step} (seed ${seed}): a hang`);
    assert.equal(answer.error?.code, error, `${method} ${JSON.stringify(params)} at step ${step} (seed ${seed}): ${JSON.stringify(answer.error)}`);
  }
  for (const doc of open.values()) {
    await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === doc.uri && p.version === doc.version, 0, HANG_MS * 2);
  }
  assert.ok(client.alive, `the server died (seed ${seed}):\n${client.stderr}`);
  assert.deepEqual(client.logs(1), [], `errors logged (seed ${seed})`);
  assert.equal(await client.call('shutdown', undefined, HANG_MS), null);
  client.notify('exit');
  assert.equal(await client.exited, 0);
  assert.equal(client.stderr, '', `seed ${seed}`);
});
