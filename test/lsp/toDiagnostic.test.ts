import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { toDiagnostics } from '../../server/src/lsp/toDiagnostic';
import { DEFAULT_SETTINGS } from '../../server/src/protocol';
import { finding, range } from './support/findings';

const context = {
  severity: DEFAULT_SETTINGS.severity,
  version: 7,
  uriOf: (f: string) => `file://${f}`,
  ruleDocUri: (rule: string) => `file:///pkg/docs/rules/${rule}.md`,
};

test('a finding becomes a diagnostic on the source call, with rule code, docs link, related path and data', () => {
  const f = finding({ fileName: '/p/a.js', at: range(3, 2, 13), sinkFile: '/p/b.js', sinkAt: range(10, 4, 11) });
  const [d, ...rest] = toDiagnostics([f], context);
  assert.equal(rest.length, 0);
  assert.deepEqual(d, {
    range: range(3, 2, 13),
    severity: DiagnosticSeverity.Warning,
    code: 'read-then-send',
    codeDescription: { href: 'file:///pkg/docs/rules/read-then-send.md' },
    source: 'zerocopy',
    message: '`fs.readFile` reads the whole file, then sends it unchanged. Recommended rewrite: sendfile.',
    relatedInformation: [
      { location: { uri: 'file:///p/a.js', range: range(3, 2, 13) }, message: 'reads the whole file into memory' },
      { location: { uri: 'file:///p/b.js', range: range(10, 4, 11) }, message: 'written to `res` by `end`' },
    ],
    data: {
      rule: 'read-then-send',
      recommendation: 'sendfile',
      findingIndex: 0,
      version: 7,
      sink: { kind: 'http-response', transport: 'unknown' },
      holds: 'whole-file',
    },
  });
});

test('severity per rule from the settings; off hides the rule; indexes stay those of the findings', () => {
  const findings = [
    finding({ fileName: '/a.js', rule: 'read-then-send', at: range(1, 0, 4) }),
    finding({ fileName: '/a.js', rule: 'stream-to-socket', at: range(2, 0, 4) }),
    finding({ fileName: '/a.js', rule: 'file-to-file', recommendation: 'copyFile', at: range(3, 0, 4) }),
  ];
  const severity = { ...DEFAULT_SETTINGS.severity, 'read-then-send': 'error', 'stream-to-socket': 'off', 'file-to-file': 'hint' } as const;
  const ds = toDiagnostics(findings, { ...context, severity });
  assert.deepEqual(
    ds.map((d) => [d.code, d.severity, (d.data as { findingIndex: number }).findingIndex]),
    [
      ['read-then-send', DiagnosticSeverity.Error, 0],
      ['file-to-file', DiagnosticSeverity.Hint, 2],
    ],
  );
});

test('no docs page, no codeDescription; a message that names the recommendation is kept as it is', () => {
  const f = finding({ fileName: '/a.js', message: 'read then sent; use sendfile' });
  const [d] = toDiagnostics([f], { ...context, ruleDocUri: () => undefined });
  assert.equal(d!.codeDescription, undefined);
  assert.equal(d!.message, 'read then sent; use sendfile');
});
