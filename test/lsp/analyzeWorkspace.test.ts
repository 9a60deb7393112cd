import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { relative } from 'node:path';
import { createAnalyzeWorkspaceHandler, type Progress } from '../../server/src/lsp/analyzeWorkspace';
import type { FileOutcome } from '../../server/src/lsp/fileAnalyser';
import { DEFAULT_SETTINGS, type Settings } from '../../server/src/protocol';
import { createPathFilter } from '../../server/src/workspace/globs';
import { tempProject, type TempProject } from './support/tempProject';

function workspace(): TempProject {
  return tempProject({
    '.gitignore': 'ignored/\n',
    'a.js': "fs.readFile('x', cb)",
    'b.ts': 'export const b = 1;',
    'big.js': 'skip me',
    'broken.js': 'throws',
    'lib/c.mjs': "fs.readFile('y', cb)",
    'gen/e.js': "fs.readFile('z', cb)",
    'ignored/d.js': "fs.readFile('w', cb)",
    'node_modules/x/index.js': "fs.readFile('v', cb)",
    'notes.txt': 'not code',
    'types.d.ts': 'declare const x: number;',
  });
}

class RecordingProgress implements Progress {
  events: string[] = [];
  percentages: number[] = [];
  token?: { isCancellationRequested: boolean };
  begin(title: string, percentage?: number, message?: string, cancellable?: boolean) {
    this.events.push(`begin ${title} ${percentage} ${message} cancellable=${cancellable}`);
  }
  report(percentage: number, message: string) {
    this.percentages.push(percentage);
    this.events.push(`report ${percentage} ${message}`);
  }
  done() {
    this.events.push('done');
  }
}

function setup(root: string, options: { settings?: Partial<Settings>; onFile?: (file: string, count: number) => void } = {}) {
  const analysed: string[] = [];
  const states: string[] = [];
  const tokens: Array<string | number | undefined> = [];
  const found: string[][] = [];
  const walkSkips: string[] = [];
  const progress = new RecordingProgress();
  const handler = createAnalyzeWorkspaceHandler({
    folders: () => [root],
    settingsForFolder: async () => ({ ...DEFAULT_SETTINGS, exclude: ['gen/**'], ...options.settings }),
    pathFilter: (folder, settings) => createPathFilter(folder, settings.include, settings.exclude),
    analyseFile: async (file): Promise<FileOutcome> => {
      analysed.push(relative(root, file));
      options.onFile?.(file, analysed.length);
      if (file.endsWith('big.js')) return { kind: 'skipped', reason: 'too large' };
      if (file.endsWith('broken.js')) return { kind: 'failed' };
      return { kind: 'analysed', findings: file.endsWith('a.js') || file.endsWith('c.mjs') ? 1 : 0 };
    },
    startProgress: async (token) => {
      tokens.push(token);
      return progress;
    },
    setState: (s) => states.push(s),
    filesFound: (files) => found.push(files.map((f) => relative(root, f))),
    walkSkipped: (path, reason) => walkSkips.push(`${relative(root, path)}: ${reason}`),
  });
  return { handler, analysed, states, tokens, progress, found, walkSkips };
}

const notCancelled = { isCancellationRequested: false };

test('every JS/TS file of the folder is analysed (gitignore, node_modules, exclude honoured), with progress', async (t) => {
  const ws = workspace();
  t.after(() => ws.remove());
  const s = setup(ws.root);
  const result = await s.handler({ workDoneToken: 'client-token' }, notCancelled);
  assert.deepEqual(s.analysed, ['a.js', 'b.ts', 'big.js', 'broken.js', 'lib/c.mjs']);
  // The walk is handed over as the project's listing before the first file is analysed.
  assert.deepEqual(s.found, [['a.js', 'b.ts', 'big.js', 'broken.js', 'lib/c.mjs']]);
  assert.deepEqual(result, { files: 3, findings: 2, skipped: 2, cancelled: false });
  assert.deepEqual(s.tokens, ['client-token']);
  assert.equal(s.progress.events[0], 'begin Zero-Copy Advisor: analysing the workspace 0 finding files… cancellable=true');
  assert.equal(s.progress.events.at(-1), 'done');
  assert.deepEqual(s.progress.percentages, [20, 40, 60, 80, 100]);
  assert.ok(s.progress.events.includes('report 100 5/5 lib/c.mjs'), s.progress.events.join('\n'));
  assert.deepEqual(s.states, ['analysing', 'idle']);
});

test('cancelling the request stops it between files and the result says so', async (t) => {
  const ws = workspace();
  t.after(() => ws.remove());
  const token = { isCancellationRequested: false };
  const s = setup(ws.root, { onFile: (_f, n) => n === 2 && (token.isCancellationRequested = true) });
  const result = await s.handler(undefined, token);
  assert.deepEqual(s.analysed, ['a.js', 'b.ts']);
  assert.equal(result.cancelled, true);
  assert.equal(result.files, 2);
  assert.equal(s.progress.events.at(-1), 'done');
  assert.deepEqual(s.states, ['analysing', 'idle']);
});

test("cancelling from the progress UI stops it too", async (t) => {
  const ws = workspace();
  t.after(() => ws.remove());
  const s = setup(ws.root, { onFile: (_f, n) => n === 1 && (s.progress.token!.isCancellationRequested = true) });
  s.progress.token = { isCancellationRequested: false };
  const result = await s.handler(undefined, notCancelled);
  assert.equal(result.cancelled, true);
  assert.deepEqual(s.analysed, ['a.js']);
});

test('a second request cancels the first', async (t) => {
  const ws = workspace();
  t.after(() => ws.remove());
  let second: Promise<unknown> | undefined;
  const s = setup(ws.root, {
    onFile: (_f, n) => {
      if (n === 1) second = s.handler(undefined, notCancelled);
    },
  });
  const first = await s.handler(undefined, notCancelled);
  const next = (await second) as { cancelled: boolean; files: number };
  assert.equal(first.cancelled, true);
  assert.equal(next.cancelled, false);
  assert.equal(next.files, 3);
  assert.equal(s.states.at(-1), 'idle');
});

test('a folder with zerocopy disabled is not walked', async (t) => {
  const ws = workspace();
  t.after(() => ws.remove());
  const s = setup(ws.root, { settings: { enable: false } });
  assert.deepEqual(await s.handler(undefined, notCancelled), { files: 0, findings: 0, skipped: 0, cancelled: false });
  assert.deepEqual(s.analysed, []);
});

test('entries the walk cannot use (a FIFO named like a source, a link to a device) are told and counted as skipped, never analysed', { skip: process.platform === 'win32' }, async (t) => {
  const ws = workspace();
  t.after(() => ws.remove());
  assert.equal(spawnSync('mkfifo', [ws.path('pipe.js')]).status, 0);
  symlinkSync('/dev/zero', ws.path('zero.ts'));
  const s = setup(ws.root);
  const result = await s.handler(undefined, notCancelled);
  assert.deepEqual(s.analysed, ['a.js', 'b.ts', 'big.js', 'broken.js', 'lib/c.mjs']);
  assert.deepEqual(s.walkSkips, ['pipe.js: not a regular file (FIFO)', 'zero.ts: not a regular file (link to a character device)']);
  assert.deepEqual(result, { files: 3, findings: 2, skipped: 4, cancelled: false });
});
