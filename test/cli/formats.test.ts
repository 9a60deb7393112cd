import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatText } from '../../server/src/cli/formats/text';
import { toJsonReport } from '../../server/src/cli/formats/json';
import { toSarif } from '../../server/src/cli/formats/sarif';
import { sampleReport } from './support/report';

test('text: compiler-style lines, 1-based, path steps indented, a summary', () => {
  assert.equal(
    formatText(sampleReport()),
    [
      'src/helper.js:3:10  read-then-send  `fs.readFile` reads the whole file, then sends it unchanged.  [sendfile]',
      '    src/helper.js:3:10  reads the whole file into memory',
      '    src/server.js:8:5  written to `res` by `end`',
      'src/server.js:12:3  stream-to-socket  `fs.createReadStream` streams the file to the socket unchanged.  [sendfile]',
      '    src/server.js:12:3  reads the whole file into memory',
      '    src/server.js:12:41  written to `res` by `end`',
      '',
      '2 findings in 2 files (2 files analysed, 1 skipped).',
      '',
    ].join('\n'),
  );
  assert.equal(formatText({ ...sampleReport(), findings: [], skipped: [] }), 'No findings (3 files analysed).\n');
});

test('text: files outside the working folder are shown with their absolute path', () => {
  const report = sampleReport('/work/proj');
  report.cwd = '/elsewhere';
  assert.match(formatText(report), /^\/work\/proj\/src\/helper\.js:3:10 /);
});

test('json: the documented shape, 0-based ranges, relative paths', () => {
  const json = toJsonReport(sampleReport());
  assert.equal(json.formatVersion, 1);
  assert.equal(json.tool.name, 'zerocopy');
  assert.match(json.tool.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(json.summary, { files: 3, findings: 2, skipped: 1, errors: 0, incomplete: 0 });
  assert.deepEqual(json.skipped, [{ file: 'src/big.js', reason: 'too large (3000000 bytes; the limit is 2000000)' }]);
  assert.deepEqual(json.findings[0], {
    rule: 'read-then-send',
    recommendation: 'sendfile',
    file: 'src/helper.js',
    range: { start: { line: 2, character: 9 }, end: { line: 2, character: 24 } },
    message: '`fs.readFile` reads the whole file, then sends it unchanged.',
    steps: [
      { file: 'src/helper.js', range: { start: { line: 2, character: 9 }, end: { line: 2, character: 24 } }, message: 'reads the whole file into memory' },
      { file: 'src/server.js', range: { start: { line: 7, character: 4 }, end: { line: 7, character: 11 } }, message: 'written to `res` by `end`' },
    ],
    sink: { kind: 'http-response', transport: 'unknown', file: 'src/server.js', range: { start: { line: 7, character: 4 }, end: { line: 7, character: 11 } } },
    holds: 'whole-file',
  });
});

test('sarif: ruleId, the source call as location, the path as relatedLocations and codeFlows, the recommendation', () => {
  const sarif = toSarif(sampleReport());
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0]!;
  assert.deepEqual(run.tool.driver.rules.map((r) => r.id), ['read-then-send', 'stream-to-socket', 'read-loop-to-socket', 'inspect-then-send', 'file-to-file']);
  assert.ok(run.tool.driver.rules.every((r) => r.shortDescription.text.length > 10));
  assert.deepEqual(run.originalUriBaseIds, { SRCROOT: { uri: 'file:///work/proj/' } });
  const [first, second] = run.results;
  assert.equal(first!.ruleId, 'read-then-send');
  assert.equal(first!.ruleIndex, 0);
  assert.equal(second!.ruleIndex, 1);
  assert.deepEqual(first!.locations, [
    { physicalLocation: { artifactLocation: { uri: 'src/helper.js', uriBaseId: 'SRCROOT' }, region: { startLine: 3, startColumn: 10, endLine: 3, endColumn: 25 } } },
  ]);
  assert.deepEqual(first!.relatedLocations.map((l) => [l.id, l.physicalLocation.artifactLocation.uri, l.physicalLocation.region.startLine, l.message.text]), [
    [1, 'src/helper.js', 3, 'reads the whole file into memory'],
    [2, 'src/server.js', 8, 'written to `res` by `end`'],
  ]);
  assert.equal(first!.codeFlows[0]!.threadFlows[0]!.locations.length, 2);
  assert.deepEqual(first!.properties, { recommendation: 'sendfile', sink: { kind: 'http-response', transport: 'unknown' }, holds: 'whole-file' });
  assert.deepEqual(run.invocations[0]!.toolExecutionNotifications.map((n) => [n.level, n.message.text]), [
    ['note', 'skipped: too large (3000000 bytes; the limit is 2000000)'],
  ]);
});

test('sarif: paths with spaces are URI-encoded; files outside the working folder get absolute file URIs', () => {
  const report = sampleReport('/work/my proj');
  assert.equal(toSarif(report).runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, 'src/helper.js');
  assert.equal(toSarif(report).runs[0]!.originalUriBaseIds.SRCROOT.uri, 'file:///work/my%20proj/');
  report.findings[0]!.fileName = '/other place/a.js';
  const result = toSarif(report).runs[0]!.results.find((r) => r.ruleId === 'read-then-send')!;
  assert.deepEqual(result.locations[0]!.physicalLocation.artifactLocation, { uri: 'file:///other%20place/a.js' });
});
