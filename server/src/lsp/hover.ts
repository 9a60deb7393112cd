/**
 * Hover on a finding (its source call, or the sink it reaches in this file): the copy path in
 * numbers, today versus after the recommended rewrite, and the JS heap held per request.
 */
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import type { Finding, Position, Range } from '../engine';
import {
  TRANSFER_COSTS,
  describeHeap,
  heapAfter,
  heapToday,
  pathAfter,
  pathToday,
  type TransferCost,
} from '../report/copyCost';
import { heapHints } from '../report/heapHints';
import { markdownCode, messageMarkdown } from '../report/markdown';
import { noFixSentence } from './toDiagnostic';

export interface HoverDeps {
  fileNameOf(uri: string): string;
  findingsIn(fileName: string): readonly Finding[];
  /** The text the findings were computed from (the open document's). */
  textOf(uri: string): string | undefined;
  ruleDocUri(rule: Finding['rule']): string | undefined;
  /** Why a finding has no quick fix, when it has none. */
  noFix?(fileName: string, finding: Finding): string | undefined;
}

export function createHoverHandler(deps: HoverDeps): (params: HoverParams) => Hover | null {
  return (params) => {
    const fileName = deps.fileNameOf(params.textDocument.uri);
    const hits = deps
      .findingsIn(fileName)
      .filter(
        (f) =>
          contains(f.range, params.position) ||
          (f.sink.location.fileName === fileName && contains(f.sink.location.range, params.position)),
      );
    if (hits.length === 0) return null;
    const text = deps.textOf(params.textDocument.uri) ?? '';
    return {
      contents: {
        kind: MarkupKind.Markdown,
        value: hits.map((f) => hoverMarkdown(f, text, deps.ruleDocUri(f.rule), deps.noFix?.(fileName, f))).join('\n\n---\n\n'),
      },
      range: hits[0]!.range,
    };
  };
}

/** The hover for one finding; `text` is the text of the file holding its source call. */
export function hoverMarkdown(finding: Finding, text: string, docUri?: string, noFix?: string): string {
  const today = TRANSFER_COSTS[pathToday(finding)];
  const after = TRANSFER_COSTS[pathAfter(finding.recommendation)];
  const hints = text ? heapHints(text, finding.range.start) : {};
  // Messages quote the analysed file's code: only ever through messageMarkdown (report/markdown.ts).
  const lines = [
    `**Zero-Copy Advisor: ${markdownCode(finding.rule)}** — recommended rewrite: **${markdownCode(finding.recommendation)}**`,
    '',
    messageMarkdown(finding.message),
    '',
    `Path of the bytes: ${finding.steps.map((s) => `${messageMarkdown(s.message)} (line ${s.location.range.start.line + 1})`).join(' → ')}`,
    '',
    '| per chunk | copies | on the CPU | syscalls |',
    '| --- | ---: | ---: | ---: |',
    row(`today: ${today.label}`, today),
    row(`after ${markdownCode(finding.recommendation)}: ${after.label}`, after),
    '',
    `JS heap held per request: today ${describeHeap(heapToday(finding, hints))}; after ${describeHeap(heapAfter(finding.recommendation))}.`,
  ];
  // The fix engine's reason quotes the code too: the same safe Markdown as the messages.
  if (noFix) lines.push('', messageMarkdown(noFixSentence(noFix)));
  // A file URI has spaces, `<` and `>` percent-encoded, so the angle-bracket form holds any path.
  if (docUri) lines.push('', `[About ${markdownCode(finding.rule)}](<${docUri}>)`);
  return lines.join('\n');
}

function row(label: string, cost: TransferCost): string {
  return `| ${label} | ${cost.copies} | ${cost.cpuCopies} | ${cost.syscallsPerChunk} |`;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function contains(range: Range, position: Position): boolean {
  return before(range.start, position) && before(position, range.end);
}
