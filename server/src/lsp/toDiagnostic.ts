/**
 * Findings -> LSP diagnostics: the range is the source call, `code` the rule with a link to its
 * page, one related location per step of the path to the sink (each may be in another file),
 * severity from the settings, and in `data` what a quick fix or code lens needs later. A finding
 * the fix engine cannot rewrite says why at the end of its message.
 */
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { Finding, RuleId } from '../engine';
import { DIAGNOSTIC_SOURCE, INCOMPLETE_ANALYSIS_CODE, type FindingDiagnosticData, type RuleSeverity } from '../protocol';

export interface DiagnosticContext {
  severity: Readonly<Record<RuleId, RuleSeverity>>;
  /** The version of the document the findings were computed for; null for a file not open. */
  version: number | null;
  uriOf(fileName: string): string;
  ruleDocUri(rule: RuleId): string | undefined;
  /** Why a finding has no quick fix ("no fix, because …"), when it has none and that is known. */
  noFix?(finding: Finding): string | undefined;
}

const LSP_SEVERITY: Record<Exclude<RuleSeverity, 'off'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** `findings` are those of one file, in the order the finding store gives (indexes go in `data`). */
export function toDiagnostics(findings: readonly Finding[], context: DiagnosticContext): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  findings.forEach((finding, findingIndex) => {
    const level = context.severity[finding.rule];
    if (level === 'off') return;
    const data: FindingDiagnosticData = {
      rule: finding.rule,
      recommendation: finding.recommendation,
      findingIndex,
      version: context.version,
      sink: { kind: finding.sink.kind, transport: finding.sink.transport },
      holds: finding.holds,
    };
    const relatedInformation: DiagnosticRelatedInformation[] = finding.steps.map((step) => ({
      location: { uri: context.uriOf(step.location.fileName), range: step.location.range },
      message: step.message,
    }));
    const href = context.ruleDocUri(finding.rule);
    diagnostics.push({
      range: finding.range,
      severity: LSP_SEVERITY[level],
      code: finding.rule,
      ...(href ? { codeDescription: { href } } : {}),
      source: DIAGNOSTIC_SOURCE,
      message: withNoFix(withRecommendation(finding), context.noFix?.(finding)),
      relatedInformation,
      data,
    });
  });
  return diagnostics;
}

/** The sentence the diagnostic and the hover add for a finding without a quick fix. */
export function noFixSentence(reason: string): string {
  return `No quick fix, because ${reason.replace(/\.$/, '')}.`;
}

function withNoFix(message: string, reason: string | undefined): string {
  return reason ? `${message} ${noFixSentence(reason)}` : message;
}

function withRecommendation(finding: Finding): string {
  return finding.message.includes(finding.recommendation)
    ? finding.message
    : `${finding.message} Recommended rewrite: ${finding.recommendation}.`;
}

/**
 * The note published with the findings of a file analysed only in part: at its first character,
 * as information, so the user knows the list may be short and why.
 */
export function incompleteAnalysisDiagnostic(reason: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    code: INCOMPLETE_ANALYSIS_CODE,
    source: DIAGNOSTIC_SOURCE,
    message: `Zero-Copy Advisor analysed this file only in part: ${reason}.`,
  };
}
