/**
 * The VS Code side of Zero-Copy Advisor, kept thin: it starts the bundled language server, shows
 * its state, offers its commands, and shows benchmark results (which the server measures). No analysis happens here and the native addon is never
 * loaded into the extension host; both live in the server process.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS, WorkspaceTrustNotification, type BenchmarkCommandArgs, type WorkspaceTrustParams } from '../../server/src/protocol';
import { BenchmarkCodeActionProvider } from './benchmark/codeActions';
import { BenchmarkCodeLensProvider } from './benchmark/codeLens';
import { BenchmarkPanels } from './benchmark/panel';
import { benchmarkTransfer } from './benchmark/run';
import { analyzeWorkspace } from './commands/analyzeWorkspace';
import { restartServer } from './commands/restartServer';
import { showRuleDocs } from './commands/showRuleDocs';
import { ANALYSED_LANGUAGES } from './documentSelector';
import { CLIENT_NAME, createLanguageClient } from './languageClient';
import { RestartPolicy } from './restartPolicy';
import { showServerState } from './serverState';
import { ServerStatusItem } from './statusBar';

let client: LanguageClient | undefined;

/** The files the server analyses (documentSelector's, as VS Code's own type). */
const FILES: vscode.DocumentFilter[] = ANALYSED_LANGUAGES.map((language) => ({ scheme: 'file', language }));

/** What the extension hands to other extensions and to its API tests. */
export interface ZeroCopyApi {
  readonly client: LanguageClient;
}

export async function activate(context: vscode.ExtensionContext): Promise<ZeroCopyApi> {
  const output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  const restartPolicy = new RestartPolicy(output);
  const status = new ServerStatusItem();
  const languageClient = createLanguageClient(context.extensionUri, output, restartPolicy);
  client = languageClient;
  const panels = new BenchmarkPanels(context.extensionUri, languageClient, output);
  const lenses = new BenchmarkCodeLensProvider();

  context.subscriptions.push(
    output,
    status,
    ...showServerState(languageClient, status, output),
    vscode.commands.registerCommand(COMMANDS.analyzeWorkspace, () => analyzeWorkspace(languageClient, output)),
    vscode.commands.registerCommand(COMMANDS.showRuleDocs, (rule?: unknown) => showRuleDocs(context.extensionUri, rule)),
    vscode.commands.registerCommand(COMMANDS.restartServer, () => restartServer(languageClient, restartPolicy, output)),
    // The server limits what a workspace's settings may do until it is trusted: tell it when it is.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (!languageClient.isRunning()) return; // a server started later reads the trust at initialize
      const params: WorkspaceTrustParams = { trusted: true };
      languageClient.sendNotification(WorkspaceTrustNotification, params).catch((error: unknown) => output.warn(`Could not tell the server the workspace is trusted: ${String(error)}`));
    }),
    // "Benchmark this transfer": a lens above each finding, an action on it, the palette.
    panels,
    lenses,
    vscode.languages.registerCodeLensProvider(FILES, lenses),
    vscode.languages.registerCodeActionsProvider(FILES, new BenchmarkCodeActionProvider(), { providedCodeActionKinds: BenchmarkCodeActionProvider.kinds }),
    vscode.commands.registerCommand(COMMANDS.benchmarkTransfer, (args?: BenchmarkCommandArgs) => benchmarkTransfer(languageClient, panels, output, args)),
  );

  try {
    await languageClient.start();
  } catch (error) {
    // The client already logged why; the status bar says "stopped" and Restart Server stays offered.
    output.error(`Could not start the Zero-Copy language server: ${error instanceof Error ? error.message : String(error)}`);
    status.show({ kind: 'stopped' });
  }
  return { client: languageClient };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
