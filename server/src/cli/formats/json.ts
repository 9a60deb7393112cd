/**
 * The machine format. Its shape is documented in docs/cli.md and only grows (new fields are
 * added, none renamed or removed, `formatVersion` bumps if that ever has to change).
 * Positions are 0-based with characters in UTF-16 code units, as in LSP; paths are shown as
 * in the text format (relative to the working folder when inside it).
 */
import type { Finding, Location } from '../../engine';
import { packageVersion } from '../../report/packageRoot';
import type { CheckReport } from '../check';
import { displayPath } from '../displayPath';

export const JSON_FORMAT_VERSION = 1;

export function toJsonReport(report: CheckReport) {
  const path = (fileName: string) => displayPath(fileName, report.cwd);
  const location = (l: Location) => ({ file: path(l.fileName), range: l.range });
  const finding = (f: Finding) => ({
    rule: f.rule,
    recommendation: f.recommendation,
    file: path(f.fileName),
    range: f.range,
    message: f.message,
    steps: f.steps.map((s) => ({ ...location(s.location), message: s.message })),
    sink: { kind: f.sink.kind, transport: f.sink.transport, ...location(f.sink.location) },
    holds: f.holds,
    ...fixOf(f),
  });
  // Added in 0.1: the preferred fix's kind and title, or why there is none.
  const fixOf = (f: Finding) => {
    const info = report.fixes?.get(f);
    return info?.fix ? { fix: info.fix } : info?.noFix ? { noFix: info.noFix } : {};
  };
  return {
    formatVersion: JSON_FORMAT_VERSION,
    tool: { name: 'zerocopy', version: packageVersion() },
    findings: report.findings.map(finding),
    skipped: report.skipped.map((s) => ({ file: path(s.fileName), reason: s.reason })),
    errors: report.errors.map((e) => ({ file: path(e.fileName), message: e.message })),
    summary: {
      files: report.files.length,
      findings: report.findings.length,
      skipped: report.skipped.length,
      errors: report.errors.length,
    },
  };
}

export function formatJson(report: CheckReport): string {
  return JSON.stringify(toJsonReport(report), null, 2) + '\n';
}
