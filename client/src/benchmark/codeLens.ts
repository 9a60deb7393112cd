import * as vscode from 'vscode';
import { COMMANDS, SETTINGS_SECTION } from '../../../server/src/protocol';
import { benchmarkArgs, findingDiagnostics } from './findings';

/**
 * "Benchmark this transfer" above each finding (setting `zerocopy.codeLens.enable`). In Restricted
 * Mode the lens says benchmarking is off, and running it explains why. The lenses follow the
 * server's diagnostics; nothing is analysed here.
 */
export class BenchmarkCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      this.changed,
      vscode.languages.onDidChangeDiagnostics(() => this.changed.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.codeLens.enable`)) this.changed.fire();
      }),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration(SETTINGS_SECTION, document.uri).get<boolean>('codeLens.enable', true)) return [];
    const trusted = vscode.workspace.isTrusted;
    return findingDiagnostics(document.uri).map(
      (d) =>
        new vscode.CodeLens(new vscode.Range(d.range.start.line, 0, d.range.start.line, 0), {
          title: trusted ? '$(dashboard) Benchmark this transfer' : 'Benchmark this transfer: off in Restricted Mode',
          tooltip: trusted ? 'Measure this code path against its rewrites on this machine (runs the code in a child process)' : 'Benchmarking runs code from the workspace: trust the workspace to use it',
          command: COMMANDS.benchmarkTransfer,
          arguments: [benchmarkArgs(document.uri, d)],
        }),
    );
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
