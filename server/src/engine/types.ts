/**
 * The engine's public contract. Pure data: no LSP, no vscode, no fs.
 * Positions are 0-based, with `character` counted in UTF-16 code units (as LSP does).
 */

export const RULE_IDS = [
  'read-then-send',
  'stream-to-socket',
  'read-loop-to-socket',
  'inspect-then-send',
  'file-to-file',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export const RECOMMENDATIONS = ['sendfile', 'mmap', 'stream', 'respondWithFile', 'copyFile'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface Location {
  fileName: string;
  range: Range;
}

/** One hop of the path the bytes take, from the source call to the sink. */
export interface FlowStep {
  location: Location;
  message: string;
}

/** What the bytes reach. `transport` is what the analysis could prove about the socket. */
export type SinkKind =
  | 'http-response'
  | 'http-request'
  | 'socket'
  | 'http2-stream'
  | 'framework-body'
  | 'file';
export type Transport = 'tcp' | 'tls' | 'unknown' | 'http2' | 'file';

export interface Finding {
  rule: RuleId;
  recommendation: Recommendation;
  /** The file holding the source call (the primary location). */
  fileName: string;
  /** The source call's callee (`fs.readFile`, `createReadStream`, `fh.read`). */
  range: Range;
  message: string;
  /** Source first, sink last; may cross files. */
  steps: FlowStep[];
  sink: { kind: SinkKind; transport: Transport; location: Location };
  /** How the source holds the bytes: the whole file in memory, or a chunk at a time. */
  holds: 'whole-file' | 'chunk';
}

export interface SkippedFile {
  fileName: string;
  reason: string;
}

export interface AnalysisResult {
  findings: Finding[];
  /** Present when the file was not analysed (too large, binary, too deep), with the reason. */
  skipped?: SkippedFile;
  /**
   * Present when the analysis stopped at a bound (more data flows than one file may hold) and
   * findings may be missing: the reason, to be shown to the user with the findings.
   */
  incomplete?: string;
}
