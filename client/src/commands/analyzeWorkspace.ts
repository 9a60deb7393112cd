import * as vscode from 'vscode';
import { RequestType, State, type LanguageClient } from 'vscode-languageclient/node';
import {
  AnalyzeWorkspaceRequest,
  type AnalyzeWorkspaceParams,
  type AnalyzeWorkspaceResult,
} from '../../../server/src/protocol';
import { withServerProgress } from '../serverProgress';

const analyzeWorkspaceType = new RequestType<AnalyzeWorkspaceParams, AnalyzeWorkspaceResult, void>(AnalyzeWorkspaceRequest);

/**
 * "Analyse Workspace": asks the server to analyse every file of the workspace, shows the server's
 * work-done progress in a cancellable notification, and reports what was found. The analysis
 * itself is the server's; the results arrive as ordinary diagnostics.
 */
export async function analyzeWorkspace(client: LanguageClient, output: vscode.LogOutputChannel): Promise<AnalyzeWorkspaceResult | undefined> {
  if (client.state !== State.Running) {
    void vscode.window.showWarningMessage('Zero-Copy Advisor: the language server is not running. Run "Zero-Copy: Restart Server" first.');
    return undefined;
  }
  const outcome = await withServerProgress(client, 'Zero-Copy: analysing workspace', 'zerocopy/analyzeWorkspace', (workDoneToken, cancel) =>
    client.sendRequest(analyzeWorkspaceType, { workDoneToken }, cancel),
  );
  const result = outcome.cancelled ? undefined : outcome.value;
  if (!result) {
    void vscode.window.showInformationMessage('Zero-Copy: workspace analysis cancelled.');
    return undefined;
  }
  const summary = summarize(result);
  output.info(summary);
  void vscode.window.showInformationMessage(summary);
  return result;
}

export function summarize(result: AnalyzeWorkspaceResult): string {
  const what = result.cancelled ? 'Workspace analysis cancelled after' : 'Analysed';
  const findings = result.findings === 1 ? '1 finding' : `${result.findings} findings`;
  const skipped = result.skipped > 0 ? ` (${result.skipped} skipped, see the output)` : '';
  return `Zero-Copy: ${what} ${result.files} files: ${findings}${skipped}.`;
}
