/** `zerocopy` as a user runs it: the bundled dist/cli.js in a child process, on project folders made here. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI } from '../lsp/support/lspClient';
import { APP_USES_HELPER, CLEAN, COMMAND_USES_INJECTED_FS, HELPER_READS, INJECTED_FS_READS, manySites, READ_THEN_SEND, STREAM_TO_SOCKET } from '../lsp/support/sources';
import { formatText } from '../../server/src/cli/formats/text';
import { toSarif } from '../../server/src/cli/formats/sarif';
import { tempProject } from '../lsp/support/tempProject';
import { sarifValidator } from './support/sarifValidator';
import { sampleReport } from './support/report';

function zerocopy(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function project() {
  return tempProject({
    '.gitignore': 'generated/\n',
    'src/server.js': READ_THEN_SEND,
    'src/stream.js': STREAM_TO_SOCKET,
    'src/clean.js': CLEAN,
    'src/helper.js': HELPER_READS,
    'src/app.js': APP_USES_HELPER,
    'generated/server.js': READ_THEN_SEND,
    'node_modules/dep/index.js': STREAM_TO_SOCKET,
  });
}

const PACKAGE_VERSION = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')).version as string;

test('--version, --help, and no command', () => {
  const cwd = __dirname;
  assert.deepEqual(zerocopy(['--version'], cwd), { status: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: '' });
  const help = zerocopy(['--help'], cwd);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: zerocopy <command>/);
  assert.match(help.stdout, /check \[paths…\]/);
  const checkHelp = zerocopy(['check', '--help'], cwd);
  assert.equal(checkHelp.status, 0);
  assert.match(checkHelp.stdout, /--format <text\|json\|sarif>/);
  const none = zerocopy([], cwd);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /Usage: zerocopy/);
});

test('usage errors exit 2 with a clear message', () => {
  const cases: Array<[string[], RegExp]> = [
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['check', '--colour'], /Unknown option '--colour'/],
    [['check', '--format', 'xml'], /unknown format 'xml'/],
    [['check', '--rule', 'no-such-rule'], /unknown rule 'no-such-rule'/],
    [['check', '--rule', ''], /--rule needs a rule id \(read-then-send, /],
    [['check', '--rule', ','], /--rule needs a rule id/],
    [['check', '-r', ' , '], /--rule needs a rule id/],
    [['check', 'does/not/exist'], /no such file or folder: does\/not\/exist/],
    [['check', '--max-file-size', 'big'], /--max-file-size needs a positive whole number/],
    [['lsp'], /needs a transport: --stdio/],
  ];
  for (const [args, message] of cases) {
    const r = zerocopy(args, __dirname);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
  }
});

test('bench without a FILE:LINE is a usage error', () => {
  const r = zerocopy(['bench'], __dirname);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /which transfer\? Give FILE:LINE/);
  assert.equal(r.stdout, '');
});

test('no findings: exit 0', (t) => {
  const p = tempProject({ 'clean.js': CLEAN, 'lib/util.ts': 'export const x: number = 1;\n' });
  t.after(() => p.remove());
  assert.deepEqual(zerocopy(['check'], p.root), { status: 0, stdout: 'No findings (2 files analysed).\n', stderr: '' });
});

test('findings: exit 1, compiler-style text with the path indented; .gitignore and node_modules honoured', (t) => {
  const p = project();
  t.after(() => p.remove());
  const r = zerocopy(['check'], p.root);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.split('\n');
  const heads = lines.filter((l) => !l.startsWith(' ') && l.includes('  '));
  assert.deepEqual(
    heads.map((l) => l.split('  ').slice(0, 2).join('  ') + '  ' + l.slice(l.lastIndexOf('['))),
    ['src/helper.js:3:10  read-then-send  [sendfile]', 'src/server.js:4:3  read-then-send  [sendfile]', 'src/stream.js:4:3  stream-to-socket  [sendfile]'],
  );
  // The cross-file flow: its path goes through app.js.
  const helper = lines.indexOf(heads[0]!);
  assert.match(lines[helper + 1]!, /^ {4}src\/helper\.js:3:10  /);
  assert.ok(lines.slice(helper + 1).find((l) => !l.startsWith('    ')) !== undefined);
  assert.ok(lines.some((l) => /^ {4}src\/app\.js:4:\d+  /.test(l)), r.stdout);
  assert.match(r.stdout, /\n3 findings in 3 files \(5 files analysed\)\.\n$/);
  assert.doesNotMatch(r.stdout, /generated|node_modules/);
});

test('a method called on an injected object is found among the walked files: the finding is in the file that reads', (t) => {
  const p = tempProject({ 'lib/physical-fs.js': INJECTED_FS_READS, 'commands/get.js': COMMAND_USES_INJECTED_FS });
  t.after(() => p.remove());
  const r = zerocopy(['check', '--format', 'json'], p.root);
  assert.equal(r.status, 1, r.stderr);
  const findings = JSON.parse(r.stdout).findings as Array<{ rule: string; file: string; range: { start: { line: number; character: number } }; steps: Array<{ file: string }> }>;
  assert.deepEqual(
    findings.map((f) => [f.rule, f.file, f.range.start.line, f.range.start.character]),
    [['stream-to-socket', 'lib/physical-fs.js', 5, 21]],
  );
  // The path goes through the handler, where the stream is piped.
  assert.ok(findings[0]!.steps.some((s) => s.file === 'commands/get.js'), JSON.stringify(findings[0]!.steps));
  // Given alone, the handler has no file system to look the method up in.
  assert.equal(zerocopy(['check', 'commands/get.js'], p.root).status, 0);
});

test('a path given explicitly is analysed even inside node_modules or a gitignored folder', (t) => {
  const p = project();
  t.after(() => p.remove());
  const r = zerocopy(['check', 'node_modules/dep/index.js', 'generated'], p.root);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^node_modules\/dep\/index\.js:4:3  stream-to-socket /m);
  assert.match(r.stdout, /^generated\/server\.js:4:3  read-then-send /m);
  const folder = zerocopy(['check', 'node_modules/dep'], p.root);
  assert.equal(folder.status, 1);
  assert.match(folder.stdout, /^node_modules\/dep\/index\.js:4:3  stream-to-socket /m);
});

test('a Node script without an extension is checked in a folder and when named; another file without one is not', (t) => {
  const p = tempProject({
    'bin/serve': "#!/usr/bin/env node\nconst http = require('http');\nconst fs = require('fs');\nhttp.createServer((req, res) => fs.createReadStream('./public' + req.url).pipe(res)).listen(8080);\n",
    'notes': "const fs = require('fs');\n",
  });
  t.after(() => p.remove());
  const folder = zerocopy(['check', '--format', 'json'], p.root);
  assert.equal(folder.status, 1, folder.stderr);
  assert.deepEqual((JSON.parse(folder.stdout).findings as Array<{ file: string; rule: string }>).map((f) => [f.file, f.rule]), [['bin/serve', 'stream-to-socket']]);
  const named = zerocopy(['check', 'bin/serve'], p.root);
  assert.equal(named.status, 1, named.stderr);
  assert.match(named.stdout, /^bin\/serve:4:\d+  stream-to-socket /m);
  const other = zerocopy(['check', 'notes'], p.root);
  assert.equal(other.status, 0, other.stderr);
  assert.match(other.stderr, /notes.*not a JavaScript or TypeScript file/);
});

test('--rule keeps only the rules asked for', (t) => {
  const p = project();
  t.after(() => p.remove());
  const streams = zerocopy(['check', '--rule', 'stream-to-socket'], p.root);
  assert.equal(streams.status, 1);
  assert.match(streams.stdout, /^1 finding in 1 file/m);
  assert.match(streams.stdout, /stream-to-socket/);
  assert.doesNotMatch(streams.stdout, /read-then-send/);
  const none = zerocopy(['check', '-r', 'file-to-file', '--rule', 'read-loop-to-socket'], p.root);
  assert.equal(none.status, 0);
  const both = zerocopy(['check', '--rule', 'stream-to-socket,read-then-send'], p.root);
  assert.match(both.stdout, /^3 findings/m);
});

test('--format json: the documented shape', (t) => {
  const p = project();
  t.after(() => p.remove());
  const r = zerocopy(['check', 'src', '--format', 'json'], p.root);
  assert.equal(r.status, 1);
  const json = JSON.parse(r.stdout);
  assert.equal(json.formatVersion, 1);
  assert.deepEqual(json.summary, { files: 5, findings: 3, skipped: 0, errors: 0, incomplete: 0 });
  const server = json.findings.find((f: any) => f.file === 'src/server.js');
  assert.deepEqual(server.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 13 } });
  assert.equal(server.rule, 'read-then-send');
  assert.equal(server.recommendation, 'sendfile');
  assert.equal(server.holds, 'whole-file');
  assert.equal(server.sink.file, 'src/server.js');
  assert.deepEqual(server.sink.range.start, { line: 4, character: 4 });
});

test('--format sarif --output FILE: nothing on stdout, a schema-valid SARIF file with the findings', (t) => {
  const p = project();
  t.after(() => p.remove());
  const r = zerocopy(['check', '--format', 'sarif', '--output', 'out/report.sarif'], p.root);
  assert.equal(r.status, 2, 'the output folder does not exist: an error, not a silent success');
  assert.equal(r.stderr, 'zerocopy: cannot write the report to out/report.sarif (ENOENT)\n');
  const ok = zerocopy(['check', '--format', 'sarif', '-o', 'report.sarif'], p.root);
  assert.equal(ok.status, 1, ok.stderr);
  assert.equal(ok.stdout, '');
  const sarif = JSON.parse(readFileSync(p.path('report.sarif'), 'utf8'));
  assert.deepEqual(sarifValidator()(sarif), []);
  const results = sarif.runs[0].results;
  assert.deepEqual(results.map((x: any) => [x.ruleId, x.locations[0].physicalLocation.artifactLocation.uri, x.properties.recommendation]), [
    ['read-then-send', 'src/helper.js', 'sendfile'],
    ['read-then-send', 'src/server.js', 'sendfile'],
    ['stream-to-socket', 'src/stream.js', 'sendfile'],
  ]);
  assert.ok(results[0].relatedLocations.some((l: any) => l.physicalLocation.artifactLocation.uri === 'src/app.js'));
});

test('skipped files are reported on stderr with the reason and do not change the exit status', (t) => {
  const p = tempProject({ 'clean.js': CLEAN, 'bundle.js': 'x'.repeat(5000), 'blob.js': Buffer.from([1, 0, 2, 3]) });
  t.after(() => p.remove());
  const r = zerocopy(['check', '--max-file-size', '1000'], p.root);
  assert.equal(r.status, 0);
  assert.match(r.stderr, /skipped blob\.js: binary file/);
  assert.match(r.stderr, /skipped bundle\.js: too large \(5000 bytes; the limit is 1000\)/);
  assert.equal(r.stdout, 'No findings (1 file analysed, 2 skipped).\n');
});

test('an exception while analysing a file: reported, other files still checked, exit 2', (t) => {
  const p = tempProject({ 'explode.js': READ_THEN_SEND, 'server.js': READ_THEN_SEND });
  t.after(() => p.remove());
  const r = zerocopy(['check'], p.root, { ZEROCOPY_FAULT_FILES: 'explode' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /analysing explode\.js failed:\nError: injected fault/);
  assert.match(r.stdout, /^server\.js:4:3  read-then-send /m);
});

test('a file past the flow bound: the findings kept are reported and the report says the file was analysed only in part', (t) => {
  const p = tempProject({ 'many.js': manySites(5_100) });
  t.after(() => p.remove());
  const json = zerocopy(['check', '--format', 'json'], p.root);
  assert.equal(json.status, 1);
  const report = JSON.parse(json.stdout);
  assert.equal(report.findings.length, 5_000);
  assert.deepEqual(report.summary, { files: 1, findings: 5_000, skipped: 0, errors: 0, incomplete: 1 });
  assert.equal(report.incomplete.length, 1);
  assert.equal(report.incomplete[0].file, 'many.js');
  assert.match(report.incomplete[0].reason, /stopped at 20,000 data flows.*may be missing \(5,000 reported\)/);
  assert.match(json.stderr, /^zerocopy: warning: many\.js was analysed only in part: the analysis stopped at 20,000 data flows/m);
  const partial = { ...sampleReport(p.root), files: [p.path('many.js')], findings: [], skipped: [], incomplete: [{ fileName: p.path('many.js'), reason: 'r' }] };
  const text = formatText(partial);
  assert.equal(text, 'No findings (1 file analysed, 1 analysed only in part).\n');
  const sarif = toSarif(partial);
  assert.deepEqual(sarif.runs[0]!.invocations[0]!.toolExecutionNotifications.map((n) => [n.level, n.message.text]), [['warning', 'analysed only in part: r']]);
  assert.deepEqual(sarifValidator()(sarif), []);
});
