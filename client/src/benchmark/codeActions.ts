import * as vscode from 'vscode';
import { COMMANDS, DIAGNOSTIC_SOURCE } from '../../../server/src/protocol';
import { benchmarkArgs } from './findings';

/** "Benchmark this transfer" on each zerocopy diagnostic, beside the server's fixes. */
export class BenchmarkCodeActionProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return context.diagnostics
      .filter((d) => d.source === DIAGNOSTIC_SOURCE)
      .map((d) => {
        const action = new vscode.CodeAction('Benchmark this transfer', vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.command = { title: 'Benchmark this transfer', command: COMMANDS.benchmarkTransfer, arguments: [benchmarkArgs(document.uri, d)] };
        return action;
      });
  }
}
