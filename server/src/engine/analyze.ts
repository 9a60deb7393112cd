import type ts from 'typescript';
import type { AnalysisResult, Finding, FlowStep, Range, RuleId } from './types';
import { Project, DEFAULT_MAX_FILE_SIZE, type ProjectFiles } from './project';
import { flowsOf, type Flow } from './flows';
import { reasonToSkip } from './parse';
import { readsPayload } from './inspect';
import { isPerRequest, isMemoized } from './lifetime';
import { findSuppressions } from './suppress';
import { RULES, type Verdict } from './rules';
import type { FileEvaluator } from './evaluator';
import type { Source, Step } from './values';
import type { Transport } from './types';

export { Project, DEFAULT_MAX_FILE_SIZE };
export type { ProjectFiles };

export interface AnalyzeOptions {
  /** Only report these rules (default: all). */
  rules?: readonly RuleId[];
  /** Files longer than this many characters are skipped with a reason. */
  maxFileSize?: number;
  /** Other files of the project, for relative imports; also caches analyses between calls. */
  project?: Project;
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export function isAnalyzableFile(fileName: string): boolean {
  return EXTENSIONS.some((ext) => fileName.endsWith(ext)) && !/\.d\.[cm]?ts$/.test(fileName);
}

const NO_FILES: ProjectFiles = { getText: () => undefined };

/**
 * Analyses one file. Findings are reported where their source call is, which may be another file
 * of the project (a helper module that reads, called from this file's handler).
 */
export function analyzeFile(fileName: string, text: string, options: AnalyzeOptions = {}): AnalysisResult {
  const project = options.project ?? new Project(NO_FILES);
  const maxFileSize = options.maxFileSize ?? project.maxFileSize;
  // Over the limit is said even of a file that could not hold a finding: the user asked for a bound.
  if (text.length > maxFileSize) return { findings: [], skipped: { fileName, reason: reasonToSkip(text, maxFileSize)! } };
  if (!project.mayHoldFindings(fileName, text)) return { findings: [] };
  let entry;
  try {
    entry = project.evaluator(fileName, text, maxFileSize);
    if (entry.skipped) return { findings: [], skipped: { fileName, reason: entry.skipped } };
    return { findings: findingsOf(entry.ev!, options.rules) };
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      project.invalidate(fileName);
      return { findings: [], skipped: { fileName, reason: 'too deeply nested to analyse (call stack exhausted)' } };
    }
    throw e;
  }
}

function findingsOf(ev: FileEvaluator, only: readonly RuleId[] | undefined): Finding[] {
  const bySource = new Map<Source, Flow[]>();
  for (const flow of flowsOf(ev).concrete) {
    if (flow.payload.t !== 'src' || !isPerRequest(ev, flow)) continue;
    const list = bySource.get(flow.payload.src) ?? [];
    list.push(flow);
    bySource.set(flow.payload.src, list);
  }
  const findings: Finding[] = [];
  const suppressions = new Map<ts.SourceFile, ReturnType<typeof findSuppressions>>();
  for (const [source, flows] of bySource) {
    const verdict = verdictOf(ev, source, flows);
    for (const rule of RULES) {
      if (only && !only.includes(rule.meta.id)) continue;
      const match = rule.check(verdict);
      if (!match) continue;
      const range = rangeOf(source.callee, source.sf);
      let sup = suppressions.get(source.sf);
      if (!sup) suppressions.set(source.sf, (sup = findSuppressions(source.sf.text)));
      if (sup.isSuppressed(rule.meta.id, range.start.line)) continue;
      const steps = stepsOf(match.flow);
      const sinkStep = steps[steps.length - 1]!;
      const sink = match.flow.sink.t === 'sink' ? match.flow.sink.sink : undefined;
      findings.push({
        rule: rule.meta.id,
        recommendation: match.recommendation,
        fileName: source.sf.fileName,
        range,
        message: match.message,
        steps,
        sink: {
          kind: !sink ? 'socket' : sink.cls === 'koa-ctx' || sink.cls === 'fastify-reply' || sink.cls === 'hapi-toolkit' ? 'framework-body' : sink.cls,
          transport: rule.meta.id === 'file-to-file' ? 'file' : (verdict.network?.transport ?? 'unknown'),
          location: sinkStep.location,
        },
        holds: source.form === 'whole' ? 'whole-file' : 'chunk',
      });
    }
  }
  findings.sort((a, b) => a.fileName.localeCompare(b.fileName) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return findings;
}

function verdictOf(ev: FileEvaluator, source: Source, flows: Flow[]): Verdict {
  const owner = ev.evaluatorOf(source.sf);
  const memoized = source.form === 'whole' && owner !== undefined && isMemoized(owner, source);
  const network = memoized ? [] : flows.filter((f) => f.sink.t === 'sink' && f.sink.sink.cls !== 'file');
  const proven = network.filter((f) => f.sink.t === 'sink' && !f.sink.sink.guessed);
  const chosen = proven.length ? proven : network;
  const transports = new Set<Transport>(chosen.map((f) => (f.sink.t === 'sink' ? f.sink.sink.transport : 'unknown')));
  const transport: Transport = transports.size === 1 ? [...transports][0]! : 'unknown';
  const file = flows.find((f) => f.sink.t === 'sink' && f.sink.sink.cls === 'file');
  // The bytes may be read where they are produced (a helper module) or where they are sent (this file).
  const inspected =
    source.form === 'whole' && chosen.length > 0 && (readsPayload(ev, source) || (owner !== undefined && owner !== ev && readsPayload(owner, source)));
  return {
    source,
    network: chosen.length ? { flow: chosen[0]!, transport } : undefined,
    file: file ? { flow: file } : undefined,
    inspected,
  };
}

function stepsOf(flow: Flow): FlowStep[] {
  const raw: Step[] = flow.payload.t === 'src' ? [...flow.payload.trail, ...flow.via, flow.event] : [flow.event];
  const out: FlowStep[] = [];
  for (const s of raw) {
    const location = { fileName: s.sf.fileName, range: rangeOf(s.node, s.sf) };
    const prev = out[out.length - 1];
    if (prev && prev.location.fileName === location.fileName && sameRange(prev.location.range, location.range)) continue;
    out.push({ location, message: s.message });
  }
  return out;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** A node's range; a node spanning lines is cut at the end of its first line (steps stay readable). */
function rangeOf(node: ts.Node, sf: ts.SourceFile): Range {
  const start = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  let end = sf.getLineAndCharacterOfPosition(node.getEnd());
  if (end.line !== start.line) {
    const lineEnd = sf.getLineEndOfPosition(node.getStart(sf));
    end = sf.getLineAndCharacterOfPosition(lineEnd);
  }
  return { start, end };
}
