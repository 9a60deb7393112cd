/**
 * SARIF 2.1.0, as RULES.md asks: each result has the rule as `ruleId`, the source call as its
 * location, the path to the sink both as `relatedLocations` and as a `codeFlows` thread flow,
 * and the recommendation in `properties.recommendation`. Every rule is described in
 * `tool.driver.rules` (id, short description, link to its page). Columns are 1-based UTF-16
 * code units (`columnKind`); files inside the working folder are relative to `SRCROOT`.
 */
import { pathToFileURL } from 'node:url';
import { RULE_IDS, type Finding, type Location, type RuleId } from '../../engine';
import { packageVersion } from '../../report/packageRoot';
import { RULE_DESCRIPTIONS, ruleDocUri } from '../../report/ruleInfo';
import type { CheckReport } from '../check';
import { displayPath } from '../displayPath';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function toSarif(report: CheckReport) {
  const artifact = (fileName: string) => {
    const shown = displayPath(fileName, report.cwd);
    return shown === fileName
      ? { uri: pathToFileURL(fileName).href }
      : { uri: shown.split('/').map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
  };
  const physical = (l: Location) => ({
    artifactLocation: artifact(l.fileName),
    region: {
      startLine: l.range.start.line + 1,
      startColumn: l.range.start.character + 1,
      endLine: l.range.end.line + 1,
      endColumn: l.range.end.character + 1,
    },
  });
  const result = (f: Finding) => ({
    ruleId: f.rule,
    ruleIndex: RULE_IDS.indexOf(f.rule),
    level: 'warning' as const,
    message: { text: f.message },
    locations: [{ physicalLocation: physical({ fileName: f.fileName, range: f.range }) }],
    relatedLocations: f.steps.map((s, i) => ({ id: i + 1, physicalLocation: physical(s.location), message: { text: s.message } })),
    codeFlows: [
      {
        threadFlows: [{ locations: f.steps.map((s) => ({ location: { physicalLocation: physical(s.location), message: { text: s.message } } })) }],
      },
    ],
    properties: { recommendation: f.recommendation, sink: { kind: f.sink.kind, transport: f.sink.transport }, holds: f.holds },
  });
  const rule = (id: RuleId) => {
    const helpUri = ruleDocUri(id);
    return {
      id,
      name: id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
      shortDescription: { text: RULE_DESCRIPTIONS[id] },
      ...(helpUri ? { helpUri } : {}),
      defaultConfiguration: { level: 'warning' as const },
    };
  };
  const notification = (fileName: string, text: string, level: 'note' | 'warning' | 'error') => ({
    level,
    message: { text },
    locations: [{ physicalLocation: { artifactLocation: artifact(fileName) } }],
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'zerocopy',
            fullName: 'Zero-Copy Advisor',
            version: packageVersion(),
            semanticVersion: packageVersion(),
            rules: RULE_IDS.map(rule),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(report.cwd.endsWith('/') ? report.cwd : report.cwd + '/').href } },
        columnKind: 'utf16CodeUnits' as const,
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: [
              ...report.skipped.map((s) => notification(s.fileName, `skipped: ${s.reason}`, 'note')),
              ...report.incomplete.map((i) => notification(i.fileName, `analysed only in part: ${i.reason}`, 'warning')),
              ...report.errors.map((e) => notification(e.fileName, `analysis failed: ${e.message}`, 'error')),
            ],
          },
        ],
        results: report.findings.map(result),
      },
    ],
  };
}

export function formatSarif(report: CheckReport): string {
  return JSON.stringify(toSarif(report), null, 2) + '\n';
}
