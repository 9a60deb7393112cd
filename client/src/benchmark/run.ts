import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, State, WorkDoneProgress, WorkDoneProgressCancelNotification, type LanguageClient } from 'vscode-languageclient/node';
import { SERVER_COMMANDS, type BenchmarkCommandArgs, type BenchReport } from '../../../server/src/protocol';
import { ensureTrusted } from '../workspaceTrust';
import { benchmarkArgs, pickFinding } from './findings';
import type { BenchmarkPanels } from './panel';

/**
 * "Benchmark this transfer": from a lens or an action (the finding given), or the command palette
 * (the finding under the cursor, or picked). Trusted workspaces only. The server runs the
 * benchmark in a child process; this shows its progress in a notification that cancels it, then
 * the results view.
 */
export async function benchmarkTransfer(client: LanguageClient, panels: BenchmarkPanels, output: vscode.LogOutputChannel, given?: BenchmarkCommandArgs): Promise<BenchReport | undefined> {
  if (!(await ensureTrusted('Benchmarking a transfer'))) return undefined;
  let args = given;
  if (!args) {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Zero-Copy: open a file with a finding to benchmark it.');
      return undefined;
    }
    const diagnostic = await pickFinding(editor);
    if (!diagnostic) return undefined;
    args = benchmarkArgs(editor.document.uri, diagnostic);
  }
  if (client.state !== State.Running) {
    void vscode.window.showWarningMessage('Zero-Copy Advisor: the language server is not running. Run "Zero-Copy: Restart Server" first.');
    return undefined;
  }
  // The benchmark runs the code as it is on disk.
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === args.uri);
  if (document?.isDirty) {
    const choice = await vscode.window.showWarningMessage('Zero-Copy: the benchmark runs the file as saved. Save it first?', 'Save and Benchmark', 'Benchmark the Saved File');
    if (!choice) return undefined;
    if (choice === 'Save and Benchmark') await document.save();
  }

  const request = args;
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Zero-Copy: benchmarking the transfer', cancellable: true },
    async (progress, cancel): Promise<{ report?: BenchReport; error?: string; cancelled?: boolean }> => {
      const workDoneToken = `zerocopy/benchmark/${randomUUID()}`;
      let reported = 0;
      const listening = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind === 'end') return;
        const increment = value.percentage !== undefined ? Math.max(0, value.percentage - reported) : undefined;
        if (value.percentage !== undefined) reported = Math.max(reported, value.percentage);
        progress.report({ message: value.message, increment });
      });
      const cancelling = cancel.onCancellationRequested(() => {
        void client.sendNotification(WorkDoneProgressCancelNotification.type, { token: workDoneToken });
      });
      try {
        const report = (await client.sendRequest(ExecuteCommandRequest.type, { command: SERVER_COMMANDS.runBenchmark, arguments: [request], workDoneToken }, cancel)) as BenchReport;
        return { report };
      } catch (error) {
        if (cancel.isCancellationRequested) return { cancelled: true };
        return { error: error instanceof Error ? error.message : String(error) };
      } finally {
        listening.dispose();
        cancelling.dispose();
      }
    },
  );
  if (outcome.cancelled) {
    void vscode.window.showInformationMessage('Zero-Copy: benchmark cancelled.');
    return undefined;
  }
  if (!outcome.report) {
    output.warn(`Benchmark of ${request.uri}:${request.line + 1} failed: ${outcome.error}`);
    void vscode.window.showErrorMessage(`Zero-Copy: cannot benchmark this transfer: ${outcome.error}`);
    return undefined;
  }
  panels.show(outcome.report, request);
  return outcome.report;
}
