/**
 * Sends `textDocument/publishDiagnostics` for files whose findings may have changed. An open
 * document always gets a publish tagged with its version (the editor waits for it); a closed
 * file only when it has findings or had some published before, so analysing a large workspace
 * does not send thousands of empty lists.
 */
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import type { Finding, RuleId } from '../engine';
import type { Settings } from '../protocol';
import type { FindingStore } from './findingStore';
import { incompleteAnalysisDiagnostic, toDiagnostics } from './toDiagnostic';

export interface PublisherDeps {
  store: FindingStore;
  openDocument(fileName: string): { uri: string; version: number } | undefined;
  /** Settings without waiting (the last fetched for the file's folder). */
  settingsNow(fileName: string): Settings;
  uriOf(fileName: string): string;
  ruleDocUri(rule: RuleId): string | undefined;
  send(params: PublishDiagnosticsParams): void;
  /** Why a finding of this file has no quick fix, when it has none (see toDiagnostics). */
  noFix?(fileName: string, finding: Finding): string | undefined;
  /** Called after each batch, e.g. to update the status bar. */
  afterPublish?(): void;
}

export type Publisher = (fileNames: Iterable<string>) => void;

export function createPublisher(deps: PublisherDeps): Publisher {
  const nonEmpty = new Set<string>();
  const uriFor = (fileName: string) => deps.openDocument(fileName)?.uri ?? deps.uriOf(fileName);

  return function publish(fileNames: Iterable<string>): void {
    for (const fileName of fileNames) {
      const document = deps.openDocument(fileName);
      const settings = deps.settingsNow(fileName);
      const findings = settings.enable ? deps.store.findingsIn(fileName) : [];
      const diagnostics = toDiagnostics(findings, {
        severity: settings.severity,
        version: document?.version ?? null,
        uriOf: uriFor,
        ruleDocUri: deps.ruleDocUri,
        ...(deps.noFix ? { noFix: (finding: Finding) => deps.noFix!(fileName, finding) } : {}),
      });
      const incomplete = settings.enable ? deps.store.incompleteReason(fileName) : undefined;
      if (incomplete !== undefined) diagnostics.push(incompleteAnalysisDiagnostic(incomplete));
      if (!document && diagnostics.length === 0 && !nonEmpty.has(fileName)) continue;
      if (diagnostics.length > 0) nonEmpty.add(fileName);
      else nonEmpty.delete(fileName);
      deps.send({ uri: uriFor(fileName), ...(document ? { version: document.version } : {}), diagnostics });
    }
    deps.afterPublish?.();
  };
}
