/**
 * What the language server publishes after any sequence of edits is what a fresh analysis of the
 * final text gives. The server works incrementally (re-parsed trees, line starts carried over,
 * parts of the file kept by their text across versions, edits coalesced); none of that may show.
 *
 * One document of real code with findings (the rule fixtures' single-file cases, some at top
 * level, most in module wrappers as bundlers write them, plus an import of a helper on disk) is
 * edited over the real stdio by a seeded stream: statements typed a key at a time and erased
 * again, words deleted and retyped, ranges deleted, code copied elsewhere, several changes in one
 * message, and bursts of messages in one write. At checkpoints the publish of the newest version
 * is compared with `analyzeFile` on that text in a new Project. ZC_EDITS_SEED=<seed> replays a seed,
 * ZC_EDITS_SEED=random draws one.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeFile, Project, RULE_IDS } from '../../server/src/engine';
import { uniqueSortedFindings } from '../../server/src/report/findingOrder';
import { ruleDocUri } from '../../server/src/report/ruleInfo';
import { DEFAULT_SETTINGS } from '../../server/src/protocol';
import { incompleteAnalysisDiagnostic, toDiagnostics } from '../../server/src/lsp/toDiagnostic';
import { uriOf } from '../../server/src/lsp/documentFiles';
import { projectFiles } from '../../server/src/workspace/analyseSource';
import type { RuleFixture } from '../engine/fixture-format';
import { fuzzSeed, Random } from '../fuzz/support/random';
import { LspClient } from './support/lspClient';
import { APP_USES_HELPER, HELPER_READS } from './support/sources';
import { tempProject } from './support/tempProject';

const CHECKPOINTS = 16;
const EDITS_PER_CHECKPOINT = 40;
/** Detects a hang; times nothing. */
const PUBLISH_TIMEOUT_MS = 120_000;

const TYPED = ['const zc = fs.readFileSync(p);', 'res.end(data);', 'fs.createReadStream(f).pipe(res);', '// zerocopy-disable-next-line', '}', '{ (', 'return', "require('./helper')"];

/** The single-file JavaScript cases with findings of every rule, in fixture order. */
function casesWithFindings(): string[] {
  const out: string[] = [];
  for (const rule of RULE_IDS) {
    const fixture = (require(`../engine/fixtures/${rule}`) as { default: RuleFixture }).default;
    for (const c of fixture.invalid) if (!c.files && (c.fileName ?? 'server.js').endsWith('.js') && c.findings.length > 0) out.push(c.code);
  }
  return out;
}

/** The document: a few cases at top level, the rest each in a module wrapper. */
function documentText(r: Random): string {
  const cases = casesWithFindings().filter(() => r.chance(0.4));
  const top = cases.slice(0, 3).join('\n');
  const wrapped = cases.slice(3).map((code) => `;(function () {\n${code}})();\n`);
  return [APP_USES_HELPER, top, ...wrapped].join('\n');
}

/** The diagnostics compared: everything but `data`'s indexes and the "no quick fix" note, which arrives with a later publish. */
function comparable(diagnostics: any[]): unknown[] {
  return diagnostics.map((d) => ({
    range: d.range,
    code: d.code,
    severity: d.severity,
    message: String(d.message).replace(/ No quick fix, because [\s\S]*$/, ''),
    related: (d.relatedInformation ?? []).map((i: any) => ({ uri: i.location.uri, range: i.location.range, message: i.message })),
  }));
}

/** What a fresh analysis of `text` gives, as the server would publish it. */
function freshDiagnostics(fileName: string, uri: string, text: string): unknown[] {
  const project = new Project(projectFiles((f) => (f === fileName ? text : undefined), () => DEFAULT_SETTINGS.maxFileSize, () => [fileName]));
  const result = analyzeFile(fileName, text, { project, maxFileSize: DEFAULT_SETTINGS.maxFileSize });
  if (result.skipped) return [];
  const findings = uniqueSortedFindings(result.findings.filter((f) => f.fileName === fileName));
  const diagnostics = toDiagnostics(findings, { severity: DEFAULT_SETTINGS.severity, version: null, uriOf: (f) => (f === fileName ? uri : uriOf(f)), ruleDocUri });
  if (result.incomplete !== undefined) diagnostics.push(incompleteAnalysisDiagnostic(result.incomplete));
  return comparable(diagnostics);
}

type Change = { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string };

/**
 * The seed `npm test` runs (ZC_EDITS_SEED=random draws a new one, as the fuzz runs do). Fixed: some
 * seeds find a difference the engine still has (KNOWN_DIFFERENCE), and the suite must not fail by chance.
 */
const DEFAULT_SEED = 1178978453;
/**
 * A seed whose edits made the server miss a read-then-send finding a fresh analysis reported (at
 * version 119): kept as a regression test. It passes since the evaluator's instance fields became a
 * guarded question and its per-file indexes replaced per-question searches (2026-12-07); with the
 * engine before those merges it fails at checkpoint 1.
 */
const KNOWN_DIFFERENCE = 1274803559;

test('random edit sequences: the published diagnostics of the newest version equal a fresh analysis of its text', async (t) => {
  const given = process.env.ZC_EDITS_SEED;
  await editAndCompare(t, given === 'random' ? fuzzSeed() : Number(given || DEFAULT_SEED));
});

test(`seed ${KNOWN_DIFFERENCE}: after its edits the server still reports the read-then-send finding a fresh analysis reports`, async (t) => {
  await editAndCompare(t, KNOWN_DIFFERENCE);
});

async function editAndCompare(t: TestContext, seed: number): Promise<void> {
  t.diagnostic(`seed ${seed} (ZC_EDITS_SEED=${seed} replays it)`);
  const r = new Random(seed);
  const ws = tempProject({ 'helper.js': HELPER_READS });
  t.after(() => ws.remove());
  const client = await LspClient.onFolder(ws.root);
  t.after(() => {
    if (client.alive) client.process.kill('SIGKILL');
  });

  const text = documentText(r);
  const fileName = ws.write('app.js', text);
  const uri = pathToFileURL(fileName).href;
  let doc = TextDocument.create(uri, 'javascript', 1, text);
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version: 1, text: doc.getText() } });

  /** Messages not yet written: a burst goes out in one write. */
  let pending: Array<{ method: string; params: unknown }> = [];
  const flush = () => {
    if (pending.length) client.write(pending);
    pending = [];
  };
  const send = (changes: Change[]) => {
    const version = doc.version + 1;
    doc = TextDocument.update(doc, changes, version);
    pending.push({ method: 'textDocument/didChange', params: { textDocument: { uri, version }, contentChanges: changes } });
    if (!r.chance(0.3)) flush(); // else it joins a burst
  };
  const at = (offset: number) => doc.positionAt(offset);
  const lineEnd = (): number => {
    const text = doc.getText();
    const i = text.indexOf('\n', r.int(0, text.length));
    return i === -1 ? text.length : i;
  };

  let compared = 0;
  let withFindings = 0;
  for (let checkpoint = 0; checkpoint < CHECKPOINTS; checkpoint++) {
    for (let made = 0; made < EDITS_PER_CHECKPOINT; ) {
      const kind = r.pick(['type', 'type', 'retype', 'delete', 'copy', 'several'] as const);
      if (kind === 'type') {
        // A new line typed a key at a time, then some or all of it erased with backspace.
        let offset = lineEnd();
        const typed = '\n' + r.pick(TYPED);
        for (const ch of typed) {
          send([{ range: { start: at(offset), end: at(offset) }, text: ch }]);
          offset++;
        }
        for (let erase = r.int(0, typed.length); erase > 0; erase--, offset--) send([{ range: { start: at(offset - 1), end: at(offset) }, text: '' }]);
        made += typed.length;
      } else if (kind === 'retype') {
        const text = doc.getText();
        const word = /[A-Za-z_]{4,}/g;
        word.lastIndex = r.int(0, text.length);
        const m = word.exec(text);
        if (!m) continue;
        const end = m.index + m[0].length;
        const n = r.int(1, 3);
        for (let i = 0; i < n; i++) send([{ range: { start: at(end - i - 1), end: at(end - i) }, text: '' }]);
        for (let i = n; i > 0; i--) send([{ range: { start: at(end - i), end: at(end - i) }, text: m[0][m[0].length - i]! }]);
        made += 2 * n;
      } else if (kind === 'delete') {
        const start = r.int(0, doc.getText().length);
        const end = Math.min(doc.getText().length, start + r.int(1, 80));
        send([{ range: { start: at(start), end: at(end) }, text: '' }]);
        made++;
      } else if (kind === 'copy') {
        const text = doc.getText();
        const from = r.int(0, text.length);
        const piece = text.slice(from, from + r.int(1, 200));
        const to = lineEnd();
        send([{ range: { start: at(to), end: at(to) }, text: '\n' + piece }]);
        made++;
      } else {
        // Several changes in one message, each against the text the previous ones left.
        let updated = TextDocument.create(uri, 'javascript', doc.version, doc.getText());
        const changes: Change[] = [];
        for (let i = r.int(2, 3); i > 0; i--) {
          const length = updated.getText().length;
          const start = r.int(0, length);
          const end = Math.min(length, start + r.int(0, 10));
          const change = { range: { start: updated.positionAt(start), end: updated.positionAt(end) }, text: r.pick(['', 'x', ';', '\n', ')', 'fs']) };
          updated = TextDocument.update(updated, [change], updated.version + 1);
          changes.push(change);
        }
        send(changes);
        made++;
      }
    }
    flush();
    const version = doc.version;
    const published = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === version, 0, PUBLISH_TIMEOUT_MS);
    const expected = freshDiagnostics(fileName, uri, doc.getText());
    assert.deepEqual(comparable(published.params.diagnostics), expected, `checkpoint ${checkpoint}, version ${version} (seed ${seed})`);
    compared++;
    if (expected.length > 0) withFindings++;
  }
  t.diagnostic(`${compared} versions compared, ${withFindings} with findings, ${doc.version - 1} versions sent`);
  // The comparison means something only if findings were there to get wrong.
  assert.ok(withFindings >= CHECKPOINTS / 2, `only ${withFindings} of ${compared} compared versions had findings`);
  assert.ok(client.alive, client.stderr);
  assert.deepEqual(client.logs(1), [], 'errors logged');
  assert.equal(await client.call('shutdown', undefined, PUBLISH_TIMEOUT_MS), null);
  client.notify('exit');
  assert.equal(await client.exited, 0);
}
