/**
 * `zerocopy check` on repositories built to hurt it: devices, FIFOs and links to them reached
 * through imports, the walk or the command line; folders and files it may not read; names that
 * would drive the terminal; a reader that closes the pipe. The bundled dist/cli.js in a child
 * process, as a user runs it. The timeouts below only detect a hang; they time nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI } from '../lsp/support/lspClient';
import { CLEAN, READ_THEN_SEND } from '../lsp/support/sources';
import { tempProject, type TempProject } from '../lsp/support/tempProject';
import { permissionBoundPrefix } from './support/unprivileged';

/** A hang is a run still going after this long: a failure detector, not a timing assertion. */
const HANG_MS = 60_000;

function zerocopy(args: string[], cwd: string, prefix: string[] = []) {
  const [command, ...rest] = prefix.length > 0 ? [...prefix, process.execPath] : [process.execPath];
  const r = spawnSync(command!, [...rest, CLI, ...args], { cwd, encoding: 'utf8', timeout: HANG_MS, killSignal: 'SIGKILL' });
  assert.equal(r.signal, null, `zerocopy ${args.join(' ')} did not end within ${HANG_MS} ms (killed): it hangs`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path]);
  assert.equal(r.status, 0, `mkfifo ${path}: ${r.stderr}`);
}

/** The peak resident memory (KB) of a `zerocopy` run, written by a preloaded module at exit. */
function peakMemoryKb(args: string[], cwd: string, p: TempProject): { status: number | null; stdout: string; stderr: string; maxRssKb: number } {
  const preload = p.write('.preload/max-rss.js', `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(p.path('.max-rss'))}, String(process.resourceUsage().maxRSS)));\n`);
  const r = spawnSync(process.execPath, ['--require', preload, CLI, ...args], { cwd, encoding: 'utf8', timeout: HANG_MS, killSignal: 'SIGKILL' });
  assert.equal(r.signal, null, `zerocopy ${args.join(' ')} did not end within ${HANG_MS} ms (killed): it hangs`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, maxRssKb: Number(readFileSync(p.path('.max-rss'), 'utf8')) };
}

/** What it imports is evaluated (it reaches a sink), so each module's text is asked for. */
const IMPORTS_DEVICES = [
  "const fs = require('fs');",
  "const http = require('http');",
  "const zero = require('/dev/zero');",
  "const fifo = require('./fifo');",
  "const link = require('./zero');",
  'http.createServer((req, res) => {',
  "  res.end(zero.load('a') + fifo.load('b') + link.load('c'));",
  '}).listen(0);',
  '',
].join('\n');

test('imports of /dev/zero, a FIFO and a link to a device: the check ends, reads none of them, and says what the walk skipped', { skip: process.platform === 'win32' }, (t) => {
  const p = tempProject({ 'a.js': IMPORTS_DEVICES, '.gitignore': '.preload/\n' });
  t.after(() => p.remove());
  mkfifo(p.path('fifo.js'));
  symlinkSync('/dev/zero', p.path('zero.js'));
  const r = peakMemoryKb(['check', '.'], p.root, p);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'No findings (1 file analysed, 2 skipped).\n');
  assert.match(r.stderr, /^zerocopy: skipped fifo\.js: not a regular file \(FIFO\)$/m);
  assert.match(r.stderr, /^zerocopy: skipped zero\.js: not a regular file \(link to a character device\)$/m);
  // Reading /dev/zero to the end of a buffer took gigabytes; nothing of it is read now.
  assert.ok(r.maxRssKb < 1_000_000, `peak memory ${Math.round(r.maxRssKb / 1024)} MB`);
});

test('a FIFO or a device named on the command line is skipped with the reason, never opened', { skip: process.platform === 'win32' }, (t) => {
  const p = tempProject({ 'clean.js': CLEAN });
  t.after(() => p.remove());
  mkfifo(p.path('x.js'));
  symlinkSync('/dev/zero', p.path('zero.js'));
  const r = zerocopy(['check', 'x.js', 'zero.js', '/dev/zero', 'clean.js'], p.root);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'No findings (1 file analysed, 3 skipped).\n');
  assert.match(r.stderr, /^zerocopy: skipped x\.js: not a regular file \(FIFO\)$/m);
  assert.match(r.stderr, /^zerocopy: skipped zero\.js: not a regular file \(character device\)$/m);
  assert.match(r.stderr, /^zerocopy: skipped \/dev\/zero: not a JavaScript or TypeScript file$/m);
});

test('entries a walk cannot use are each reported: link loop, dangling link, FIFO, socket-like and device entries', { skip: process.platform === 'win32' }, (t) => {
  const p = tempProject({ 'server.js': READ_THEN_SEND, 'ignored/x.js': CLEAN, '.gitignore': 'ignored/\nignored-fifo.js\n' });
  t.after(() => p.remove());
  symlinkSync('loop.js', p.path('loop.js'));
  symlinkSync('nowhere.js', p.path('dangling.js'));
  mkfifo(p.path('fifo.js'));
  mkfifo(p.path('ignored-fifo.js')); // gitignored: not a file of the project, so not reported
  mkfifo(p.path('notes')); // not a JS/TS name: never a source, so not reported
  symlinkSync('/dev/null', p.path('null.ts'));
  mkdirSync(p.path('linked'));
  symlinkSync(p.path('linked'), p.path('folder-link')); // a link to a folder is not followed, silently
  const r = zerocopy(['check'], p.root);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^1 finding in 1 file \(1 file analysed, 4 skipped\)\.$/m);
  const skipped = r.stderr.split('\n').filter(Boolean).sort();
  assert.deepEqual(skipped, [
    'zerocopy: skipped dangling.js: dangling symbolic link',
    'zerocopy: skipped fifo.js: not a regular file (FIFO)',
    'zerocopy: skipped loop.js: symbolic link that cannot be followed (ELOOP: symbolic link loop)',
    'zerocopy: skipped null.ts: not a regular file (link to a character device)',
  ]);
});

test('--format json and sarif carry the entries the walk skipped', { skip: process.platform === 'win32' }, (t) => {
  const p = tempProject({ 'clean.js': CLEAN });
  t.after(() => p.remove());
  mkfifo(p.path('fifo.js'));
  const json = JSON.parse(zerocopy(['check', '--format', 'json'], p.root).stdout);
  assert.deepEqual(json.skipped, [{ file: 'fifo.js', reason: 'not a regular file (FIFO)' }]);
  assert.deepEqual(json.summary, { files: 2, findings: 0, skipped: 1, errors: 0, incomplete: 0 });
  const sarif = JSON.parse(zerocopy(['check', '--format', 'sarif'], p.root).stdout);
  const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
  assert.deepEqual(notes.map((n: any) => n.message.text), ['skipped: not a regular file (FIFO)']);
});

test('what it may not read: a folder named is an error (exit 2), one met in a walk is skipped, an unreadable file says EACCES', (t) => {
  const how = permissionBoundPrefix();
  if ('skip' in how) {
    t.skip(how.skip);
    return;
  }
  const p = tempProject({ 'server.js': READ_THEN_SEND, 'locked/a.js': READ_THEN_SEND, 'closed/b.js': READ_THEN_SEND, 'secret.js': READ_THEN_SEND });
  t.after(() => {
    chmodSync(p.path('locked'), 0o755);
    chmodSync(p.path('closed'), 0o755);
    p.remove();
  });
  chmodSync(p.path('locked'), 0o000); // cannot be listed
  chmodSync(p.path('closed'), 0o600); // can be listed, but nothing in it can be reached
  chmodSync(p.path('secret.js'), 0o000);

  const folder = zerocopy(['check', 'locked'], p.root, how.prefix);
  assert.equal(folder.status, 2);
  assert.equal(folder.stderr, 'zerocopy: cannot read folder locked (EACCES: permission denied)\n');
  assert.equal(folder.stdout, '');

  const inClosed = zerocopy(['check', 'closed/b.js'], p.root, how.prefix);
  assert.equal(inClosed.status, 2);
  assert.equal(inClosed.stderr, 'zerocopy: cannot read closed/b.js (EACCES: permission denied)\n');

  const file = zerocopy(['check', 'secret.js'], p.root, how.prefix);
  assert.equal(file.status, 0);
  assert.equal(file.stderr, 'zerocopy: skipped secret.js: cannot be read (EACCES: permission denied)\n');

  const walk = zerocopy(['check'], p.root, how.prefix);
  assert.equal(walk.status, 1, walk.stderr);
  assert.deepEqual(walk.stderr.split('\n').filter(Boolean).sort(), [
    'zerocopy: skipped closed/b.js: cannot be read (EACCES: permission denied)',
    'zerocopy: skipped locked: folder cannot be read (EACCES: permission denied)',
    'zerocopy: skipped secret.js: cannot be read (EACCES: permission denied)',
  ]);
  assert.match(walk.stdout, /^server\.js:4:3  read-then-send /m);
});

test('file names and code that would drive the terminal are escaped in the text report', { skip: process.platform === 'win32' }, (t) => {
  const hostileCode = READ_THEN_SEND.replace('res.end(data)', '(res/*\u001b[2J\u202e*/).end(data)');
  const p = tempProject({});
  t.after(() => p.remove());
  writeFileSync(join(p.root, 'new\nline.js'), READ_THEN_SEND);
  writeFileSync(join(p.root, 'esc\u001b[31mred.js'), hostileCode);
  writeFileSync(join(p.root, 'big\u001b]0;title\u0007.js'), 'x'.repeat(2000));
  const r = zerocopy(['check', '--max-file-size', '1000'], p.root);
  assert.equal(r.status, 1, r.stderr);
  for (const out of [r.stdout, r.stderr]) {
    assert.doesNotMatch(out, /[\u0000-\u0009\u000b-\u001f\u007f\u202e]/, JSON.stringify(out));
  }
  const lines = r.stdout.split('\n');
  assert.ok(lines.some((l) => l.startsWith('"new\\nline.js":4:3  read-then-send  ')), r.stdout);
  assert.ok(lines.some((l) => l.startsWith('"esc\\e[31mred.js":4:3  read-then-send  ')), r.stdout);
  assert.ok(lines.some((l) => /written to `\(res\/\*\\e\[2J\\u202e\*\/\)` by `end`/.test(l)), r.stdout);
  assert.match(r.stderr, /^zerocopy: skipped "big\\e\]0;title\\x07\.js": too large/m);
  // JSON is encoded by JSON itself: the names are given as they are.
  const json = JSON.parse(zerocopy(['check', '--format', 'json', '--max-file-size', '1000'], p.root).stdout);
  assert.ok(json.findings.some((f: any) => f.file === 'new\nline.js'));
});

test('a closed stdout (`zerocopy check | head -0`) ends quietly with the run\'s own status', async (t) => {
  const p = tempProject({ 'clean.js': CLEAN });
  t.after(() => p.remove());
  for (let i = 0; i < 200; i++) p.write(`many/f${i}.js`, CLEAN);
  const child = spawn(process.execPath, [CLI, 'check', '--format', 'json'], { cwd: p.root, stdio: ['ignore', 'pipe', 'pipe'] });
  // The reader goes away before a byte of the report is written.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  assert.equal(signal, null);
  assert.equal(stderr, '');
  assert.equal(code, 0);
});
