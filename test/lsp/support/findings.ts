/**
 * Findings built by hand, for tests of what the server and the CLI do with findings
 * (formats, diagnostics, stores), independent of what the engine finds.
 */
import type { Finding, Range, RuleId, Recommendation } from '../../../server/src/engine';

export function range(line: number, character: number, endCharacter: number, endLine = line): Range {
  return { start: { line, character }, end: { line: endLine, character: endCharacter } };
}

export interface FindingSpec {
  rule?: RuleId;
  recommendation?: Recommendation;
  fileName: string;
  at?: Range;
  sinkFile?: string;
  sinkAt?: Range;
  holds?: Finding['holds'];
  message?: string;
}

/** A read-then-send finding: source call at `at` in `fileName`, sink at `sinkAt` in `sinkFile`. */
export function finding(spec: FindingSpec): Finding {
  const at = spec.at ?? range(3, 2, 13);
  const sinkFile = spec.sinkFile ?? spec.fileName;
  const sinkAt = spec.sinkAt ?? range(at.start.line + 1, 4, 11);
  return {
    rule: spec.rule ?? 'read-then-send',
    recommendation: spec.recommendation ?? 'sendfile',
    fileName: spec.fileName,
    range: at,
    message: spec.message ?? '`fs.readFile` reads the whole file, then sends it unchanged.',
    steps: [
      { location: { fileName: spec.fileName, range: at }, message: 'reads the whole file into memory' },
      { location: { fileName: sinkFile, range: sinkAt }, message: 'written to `res` by `end`' },
    ],
    sink: { kind: 'http-response', transport: 'unknown', location: { fileName: sinkFile, range: sinkAt } },
    holds: spec.holds ?? 'whole-file',
  };
}
