import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import type { RestartPolicy } from '../restartPolicy';

/** "Restart Server": a fresh server process, whether the old one is running, stopped or crash-looping. */
export async function restartServer(
  client: LanguageClient,
  restartPolicy: RestartPolicy,
  output: vscode.LogOutputChannel,
): Promise<void> {
  restartPolicy.reset();
  output.info('Restarting the Zero-Copy language server on request.');
  try {
    if (client.state === State.Running) await client.restart();
    else await client.start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    output.error(`Restarting the Zero-Copy language server failed: ${reason}`);
    void vscode.window.showErrorMessage(`Zero-Copy Advisor: the language server could not be restarted: ${reason}`);
  }
}
