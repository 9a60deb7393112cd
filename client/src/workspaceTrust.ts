import * as vscode from 'vscode';
import { COMMANDS, SERVER_COMMANDS } from '../../server/src/protocol';

/**
 * Commands that execute the user's code (benchmarking a transfer runs the workspace's own
 * functions). Everything else the extension does only reads files, so it stays on in
 * Restricted Mode; these stay off until the workspace is trusted.
 */
export function runsUserCode(command: string): boolean {
  return command === COMMANDS.benchmarkTransfer || command === SERVER_COMMANDS.runBenchmark;
}

/**
 * True when the workspace is trusted; otherwise says why the action is unavailable, offers to
 * manage trust, and returns false.
 */
export async function ensureTrusted(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(
    `Zero-Copy Advisor: ${what} runs code from this workspace, so it is disabled in Restricted Mode.`,
    'Manage Workspace Trust',
  );
  if (choice === 'Manage Workspace Trust') await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
