import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalysisResult, AnalyzeOptions } from '../../server/src/engine';
import { createFileAnalyser, type OpenDocument } from '../../server/src/lsp/fileAnalyser';
import { FindingStore } from '../../server/src/lsp/findingStore';
import { DEFAULT_SETTINGS, type Settings } from '../../server/src/protocol';
import { readSourceFile } from '../../server/src/workspace/readSource';
import { finding } from './support/findings';
import { tempProject } from './support/tempProject';

class Doc implements OpenDocument {
  constructor(public uri: string, public version: number, public text: string) {}
  getText() {
    return this.text;
  }
}

function setup(options: { settings?: Partial<Settings>; analyse?: (fileName: string, text: string, o: AnalyzeOptions) => AnalysisResult } = {}) {
  const docs = new Map<string, Doc>();
  const store = new FindingStore();
  const published: string[][] = [];
  const logs: { info: string[]; error: string[] } = { info: [], error: [] };
  const analysed: Array<{ fileName: string; text: string; rules: readonly string[] | undefined }> = [];
  let settingsGate: Promise<void> = Promise.resolve();
  const analyse =
    options.analyse ??
    ((fileName: string, text: string) => ({ findings: text.includes('readFile') ? [finding({ fileName })] : [] }));
  const analyseFile = createFileAnalyser({
    openDocument: (f) => docs.get(f),
    readFromDisk: readSourceFile,
    settingsFor: async () => {
      await settingsGate;
      return { ...DEFAULT_SETTINGS, ...options.settings };
    },
    accepts: (f, s) => !s.exclude.some((e) => f.includes(e)),
    analyse: (fileName, text, o) => {
      analysed.push({ fileName, text, rules: o.rules });
      return analyse(fileName, text, o);
    },
    store,
    publish: (files) => published.push([...files]),
    log: { info: (m) => logs.info.push(m), error: (m) => logs.error.push(m) },
  });
  return {
    docs,
    store,
    published,
    logs,
    analysed,
    analyseFile,
    gateSettings(gate: Promise<void>) {
      settingsGate = gate;
    },
  };
}

test('an open document is analysed at its current version and its findings published', async () => {
  const s = setup();
  s.docs.set('/p/a.js', new Doc('file:///p/a.js', 3, 'fs.readFile(p, cb)'));
  assert.deepEqual(await s.analyseFile('/p/a.js'), { kind: 'analysed', findings: 1 });
  assert.deepEqual(s.published, [['/p/a.js']]);
  assert.equal(s.store.findingsIn('/p/a.js').length, 1);
  assert.deepEqual(s.analysed[0]!.rules, ['read-then-send', 'stream-to-socket', 'read-loop-to-socket', 'inspect-then-send', 'file-to-file']);
});

test('rules set to off are not asked of the engine', async () => {
  const s = setup({ settings: { severity: { ...DEFAULT_SETTINGS.severity, 'file-to-file': 'off', 'inspect-then-send': 'off' } } });
  s.docs.set('/p/a.js', new Doc('file:///p/a.js', 1, ''));
  await s.analyseFile('/p/a.js');
  assert.deepEqual(s.analysed[0]!.rules, ['read-then-send', 'stream-to-socket', 'read-loop-to-socket']);
});

test('a document edited while its settings were being fetched is not analysed (the edit re-queued it)', async () => {
  const s = setup();
  const doc = new Doc('file:///p/a.js', 1, 'fs.readFile(p, cb)');
  s.docs.set('/p/a.js', doc);
  let open!: () => void;
  s.gateSettings(new Promise<void>((resolve) => (open = resolve)));
  const outcome = s.analyseFile('/p/a.js');
  doc.version = 2;
  open();
  assert.deepEqual(await outcome, { kind: 'stale' });
  assert.deepEqual(s.published, []);
  assert.equal(s.analysed.length, 0);
});

test('a result computed for a version that is no longer current is never published', async () => {
  const docs = new Map<string, Doc>();
  const s = setup({
    analyse: (fileName) => {
      docs.get(fileName)!.version++; // an edit lands while the engine runs
      return { findings: [finding({ fileName })] };
    },
  });
  const doc = new Doc('file:///p/a.js', 1, 'fs.readFile(p, cb)');
  s.docs.set('/p/a.js', doc);
  docs.set('/p/a.js', doc);
  assert.deepEqual(await s.analyseFile('/p/a.js'), { kind: 'stale' });
  assert.deepEqual(s.published, []);
  assert.equal(s.store.findingsIn('/p/a.js').length, 0);
});

test('an exception is logged with the file name and stack, the file is cleared, and the next file is analysed', async () => {
  let fail = false;
  const s = setup({
    analyse: (fileName) => {
      if (fail) throw new Error('engine exploded');
      return { findings: [finding({ fileName })] };
    },
  });
  s.docs.set('/p/a.js', new Doc('file:///p/a.js', 1, 'x'));
  s.docs.set('/p/b.js', new Doc('file:///p/b.js', 1, 'x'));
  await s.analyseFile('/p/a.js');
  assert.equal(s.store.findingsIn('/p/a.js').length, 1);
  fail = true;
  assert.deepEqual(await s.analyseFile('/p/a.js'), { kind: 'failed' });
  assert.equal(s.logs.error.length, 1);
  assert.match(s.logs.error[0]!, /analysing \/p\/a\.js failed/);
  assert.match(s.logs.error[0]!, /Error: engine exploded\n\s+at /);
  assert.equal(s.store.findingsIn('/p/a.js').length, 0);
  assert.deepEqual(s.published.at(-1), ['/p/a.js']);
  fail = false;
  assert.deepEqual(await s.analyseFile('/p/b.js'), { kind: 'analysed', findings: 1 });
});

test('a file the engine skips is logged once with its reason and cleared', async () => {
  const s = setup({ analyse: (fileName) => ({ findings: [], skipped: { fileName, reason: 'nesting too deep' } }) });
  s.docs.set('/p/a.js', new Doc('file:///p/a.js', 1, '(((('));
  assert.deepEqual(await s.analyseFile('/p/a.js'), { kind: 'skipped', reason: 'nesting too deep' });
  await s.analyseFile('/p/a.js');
  assert.deepEqual(s.logs.info, ['zerocopy: skipped /p/a.js: nesting too deep']);
});

test('a closed file is read from disk; too large and binary files are skipped with their reason', async (t) => {
  const project = tempProject({
    'a.js': "fs.readFile('x', cb)",
    'big.js': 'x'.repeat(200),
    'bin.js': Buffer.from([0x63, 0x00, 0x01, 0x02]),
  });
  t.after(() => project.remove());
  const s = setup({ settings: { maxFileSize: 100 } });
  assert.deepEqual(await s.analyseFile(project.path('a.js')), { kind: 'analysed', findings: 1 });
  assert.deepEqual(await s.analyseFile(project.path('big.js')), { kind: 'skipped', reason: 'too large (200 bytes; the limit is 100)' });
  assert.deepEqual(await s.analyseFile(project.path('bin.js')), { kind: 'skipped', reason: 'binary file (NUL byte in the first 8000 bytes)' });
  assert.equal(s.logs.info.length, 2);
  assert.match(s.logs.info[0]!, /big\.js: too large/);
});

test('disabled or excluded files are not analysed and their findings are cleared', async () => {
  const off = setup({ settings: { enable: false } });
  off.docs.set('/p/a.js', new Doc('file:///p/a.js', 1, 'fs.readFile()'));
  assert.deepEqual(await off.analyseFile('/p/a.js'), { kind: 'excluded' });
  assert.equal(off.analysed.length, 0);
  const excluded = setup({ settings: { exclude: ['/gen/'] } });
  excluded.docs.set('/p/gen/a.js', new Doc('file:///p/gen/a.js', 1, 'fs.readFile()'));
  assert.deepEqual(await excluded.analyseFile('/p/gen/a.js'), { kind: 'excluded' });
  assert.deepEqual(excluded.published, [['/p/gen/a.js']]);
});

test('an open document over the size limit is skipped before the engine sees it', async () => {
  const s = setup({ settings: { maxFileSize: 100 } });
  s.docs.set('/p/bundle.js', new Doc('file:///p/bundle.js', 1, 'x'.repeat(101)));
  assert.deepEqual(await s.analyseFile('/p/bundle.js'), { kind: 'skipped', reason: 'too large (101 characters; the limit is 100)' });
  assert.equal(s.analysed.length, 0);
  assert.deepEqual(s.published, [['/p/bundle.js']]);
});

test('a Node script without an extension, on disk, is analysed; another file without one is not', async (t) => {
  const p = tempProject({ 'bin/serve': "#!/usr/bin/env node\nfs.readFile('x', cb);\n", 'bin/notes': "fs.readFile('x', cb);\n" });
  t.after(() => p.remove());
  const s = setup();
  assert.deepEqual(await s.analyseFile(p.path('bin/serve')), { kind: 'analysed', findings: 1 });
  assert.deepEqual(await s.analyseFile(p.path('bin/notes')), { kind: 'excluded' });
});
