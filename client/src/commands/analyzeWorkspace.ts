import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import {
  RequestType,
  State,
  WorkDoneProgress,
  WorkDoneProgressCancelNotification,
  type LanguageClient,
} from 'vscode-languageclient/node';
import {
  AnalyzeWorkspaceRequest,
  type AnalyzeWorkspaceParams,
  type AnalyzeWorkspaceResult,
} from '../../../server/src/protocol';

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
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Zero-Copy: analysing workspace', cancellable: true },
    async (progress, cancel) => {
      const workDoneToken = `zerocopy/analyzeWorkspace/${randomUUID()}`;
      let reported = 0;
      const listening = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind === 'end') return;
        // LSP reports an absolute percentage; VS Code wants the increment since the last report.
        const increment = value.percentage !== undefined ? Math.max(0, value.percentage - reported) : undefined;
        if (value.percentage !== undefined) reported = Math.max(reported, value.percentage);
        progress.report({ message: value.message, increment });
      });
      // Cancel both ways a server may listen for: the progress token and the request itself.
      const cancelling = cancel.onCancellationRequested(() => {
        void client.sendNotification(WorkDoneProgressCancelNotification.type, { token: workDoneToken });
      });
      try {
        return await client.sendRequest(analyzeWorkspaceType, { workDoneToken }, cancel);
      } catch (error) {
        if (cancel.isCancellationRequested) return undefined;
        throw error;
      } finally {
        listening.dispose();
        cancelling.dispose();
      }
    },
  );
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
