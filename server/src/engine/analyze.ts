import ts from 'typescript';
import type { AnalysisResult, Finding, FlowStep, Range, RuleId } from './types';
import { Project, DEFAULT_MAX_FILE_SIZE, type ProjectFiles } from './project';
import { flowsOf, MAX_FLOWS, type Flow } from './flows';
import { analysisHeapBytes, reasonToSkip } from './parse';
import { functionsOnPath, readsPayload } from './inspect';
import { isPerRequest, isMemoized } from './lifetime';
import { findSuppressions } from './suppress';
import { RULES, type Verdict } from './rules';
import { evaluationCuts, FileEvaluator, MAX_OPEN_QUESTIONS } from './evaluator';
import { partition, type Candidate, type PartCache } from './parts';
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
  /**
   * Bytes of heap the analysis may take (the caller's process knows what it has left): a file
   * whose analysis would need more (`analysisHeapBytes`) is skipped with the reason.
   */
  heapBudget?: number;
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/**
 * Whether the engine analyses a file: a JavaScript or TypeScript source by its extension, or, given
 * its text, a script whose name has no extension and whose first line runs Node (`#!/usr/bin/env node`).
 */
export function isAnalyzableFile(fileName: string, text?: string): boolean {
  if (EXTENSIONS.some((ext) => fileName.endsWith(ext))) return !/\.d\.[cm]?ts$/.test(fileName);
  return text !== undefined && hasNoExtension(fileName) && isNodeScript(text);
}

/** A file name whose last segment has no dot (`bin/serve`): a script may have no extension. */
export function hasNoExtension(fileName: string): boolean {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  return base.length > 0 && !base.includes('.');
}

/** A script run by Node (or a TypeScript runner for it): its first line is a shebang naming one. */
export function isNodeScript(text: string): boolean {
  return /^#!.*\b(?:node|nodejs|ts-node|tsx|bun)\b/.test(text.slice(0, 200));
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
  const cutsBefore = evaluationCuts();
  try {
    // Inside the try: the by-name lookup it may do evaluates other files, which can exhaust the stack too.
    if (!project.mayHoldFindings(fileName, text)) return { findings: [] };
    const need = analysisHeapBytes(text.length);
    if (options.heapBudget !== undefined && need > options.heapBudget) {
      const mb = (bytes: number): string => `${Math.ceil(bytes / 1e6)} MB`;
      return { findings: [], skipped: { fileName, reason: `too large to analyse in the memory left: about ${mb(need)} needed, ${mb(options.heapBudget)} left (node --max-old-space-size raises it)` } };
    }
    const entry = project.parsed(fileName, text, maxFileSize);
    if (entry.skipped) return { findings: [], skipped: { fileName, reason: entry.skipped } };
    const parts = project.partsOf(fileName);
    const byPart = parts?.splittable && candidatesByPart(project, entry.sf!, parts);
    if (byPart) {
      const findings = reported(byPart, options.rules);
      return evaluationCuts() > cutsBefore ? { findings, incomplete: depthReason(findings.length) } : { findings };
    }
    const ev = project.evaluator(fileName, text, maxFileSize).ev!;
    const findings = reported(candidatesOf(ev), options.rules);
    // Said, not hidden: a file past a bound reports only the findings of what was followed.
    if (flowsOf(ev).truncated) return { findings, incomplete: incompleteReason(findings.length) };
    return evaluationCuts() > cutsBefore ? { findings, incomplete: depthReason(findings.length) } : { findings };
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      project.invalidate(fileName);
      return { findings: [], skipped: { fileName, reason: 'too deeply nested to analyse (call stack exhausted)' } };
    }
    throw e;
  }
}

function depthReason(reported: number): string {
  return (
    `a chain of values ${MAX_OPEN_QUESTIONS.toLocaleString('en-US')} questions deep was cut short, the bound for one analysis: ` +
    `findings past that point may be missing (${reported.toLocaleString('en-US')} reported)`
  );
}

function incompleteReason(reported: number): string {
  return (
    `the analysis stopped at ${MAX_FLOWS.toLocaleString('en-US')} data flows, the bound for one file: ` +
    `findings past that point may be missing (${reported.toLocaleString('en-US')} reported)`
  );
}

/**
 * The candidates of an edited file, part by part (see parts.ts): a part unchanged since the last
 * version keeps its candidates. Undefined when the file must be analysed whole: it imports itself,
 * or its parts together hold as many flows as one file may (then which flows are kept depends on
 * the order of the whole file).
 */
function candidatesByPart(project: Project, sf: ts.SourceFile, cache: PartCache): Candidate[] | undefined {
  const out: Candidate[] = [];
  let flows = 0;
  for (const part of partition(sf, project, cache)) {
    let result = cache.lookup(part, sf);
    if (!result) {
      const ev = new FileEvaluator(sf.fileName, ts.factory.updateSourceFile(sf, part.statements), project);
      result = { candidates: candidatesOf(ev), flows: flowsOf(ev).count };
      cache.store(part, sf, result.candidates, result.flows);
    }
    out.push(...result.candidates);
    flows += result.flows;
  }
  cache.commit();
  if (project.importsItself(sf.fileName)) {
    cache.splittable = false;
    project.invalidate(sf.fileName);
    return undefined;
  }
  return flows < MAX_FLOWS ? out : undefined;
}

/** The findings the user asked for (`only` the rules named), without the suppressed ones, in file order. */
function reported(candidates: Candidate[], only: readonly RuleId[] | undefined): Finding[] {
  const suppressions = new Map<ts.SourceFile, ReturnType<typeof findSuppressions>>();
  const findings: Finding[] = [];
  for (const { finding, sf } of candidates) {
    if (only && !only.includes(finding.rule)) continue;
    let sup = suppressions.get(sf);
    if (!sup) suppressions.set(sf, (sup = findSuppressions(sf.text)));
    if (!sup.isSuppressed(finding.rule, finding.range.start.line)) findings.push(finding);
  }
  findings.sort((a, b) => a.fileName.localeCompare(b.fileName) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return findings;
}

/** Every finding of a file's flows, for every rule, before suppression comments. */
function candidatesOf(ev: FileEvaluator): Candidate[] {
  const bySource = new Map<Source, Flow[]>();
  for (const flow of flowsOf(ev).concrete) {
    if (flow.payload.t !== 'src' || !isPerRequest(ev, flow)) continue;
    const list = bySource.get(flow.payload.src) ?? [];
    list.push(flow);
    bySource.set(flow.payload.src, list);
  }
  const candidates: Candidate[] = [];
  for (const [source, flows] of bySource) {
    const verdict = verdictOf(ev, source, flows);
    for (const rule of RULES) {
      const match = rule.check(verdict);
      if (!match) continue;
      const range = rangeOf(source.callee, source.sf);
      const steps = stepsOf(match.flow);
      const sinkStep = steps[steps.length - 1]!;
      const sink = match.flow.sink.t === 'sink' ? match.flow.sink.sink : undefined;
      const finding: Finding = {
        rule: rule.meta.id,
        recommendation: match.recommendation,
        fileName: source.sf.fileName,
        range,
        message: match.message,
        steps,
        sink: {
          kind: !sink ? 'socket' : sink.cls === 'koa-ctx' || sink.cls === 'fastify-reply' || sink.cls === 'hapi-toolkit' || sink.cls === 'hono-ctx' ? 'framework-body' : sink.cls,
          transport: rule.meta.id === 'file-to-file' ? 'file' : (verdict.network?.transport ?? 'unknown'),
          location: sinkStep.location,
        },
        holds: source.form === 'whole' ? 'whole-file' : 'chunk',
      };
      candidates.push({ finding, sf: source.sf });
    }
  }
  return candidates;
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
  // Only where the sent bytes can be: not a variable of a function that made its own read to look at.
  const onPath = functionsOnPath([source.node, ...chosen.flatMap((f) => [...(f.payload.t === 'src' ? f.payload.trail : []), ...f.via, f.event].map((s) => s.node))]);
  const inspected =
    source.form === 'whole' && chosen.length > 0 && (readsPayload(ev, source, onPath) || (owner !== undefined && owner !== ev && readsPayload(owner, source, onPath)));
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
