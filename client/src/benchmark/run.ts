import * as vscode from 'vscode';
import { ExecuteCommandRequest, State, type LanguageClient } from 'vscode-languageclient/node';
import { SERVER_COMMANDS, type BenchmarkCommandArgs, type BenchReport } from '../../../server/src/protocol';
import { withServerProgress } from '../serverProgress';
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
  let outcome: { report?: BenchReport; error?: string; cancelled?: boolean };
  try {
    const answer = await withServerProgress(client, 'Zero-Copy: benchmarking the transfer', 'zerocopy/benchmark', (workDoneToken, cancel) =>
      client.sendRequest(ExecuteCommandRequest.type, { command: SERVER_COMMANDS.runBenchmark, arguments: [request], workDoneToken }, cancel) as Promise<BenchReport>,
    );
    outcome = answer.cancelled ? { cancelled: true } : { report: answer.value };
  } catch (error) {
    outcome = { error: error instanceof Error ? error.message : String(error) };
  }
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
