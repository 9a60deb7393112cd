import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, type BenchmarkCommandArgs } from '../../../server/src/protocol';

/** The zerocopy findings of a document, as its diagnostics (the server's; nothing is analysed here). */
export function findingDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

/** What `zerocopy.runBenchmark` is given for a finding: its file and where it starts. */
export function benchmarkArgs(uri: vscode.Uri, diagnostic: vscode.Diagnostic): BenchmarkCommandArgs {
  return { uri: uri.toString(), line: diagnostic.range.start.line, character: diagnostic.range.start.character };
}

/** The finding under the cursor, or (several, or none under it) the one the user picks from the file's. */
export async function pickFinding(editor: vscode.TextEditor): Promise<vscode.Diagnostic | undefined> {
  const all = findingDiagnostics(editor.document.uri);
  if (all.length === 0) {
    void vscode.window.showInformationMessage('Zero-Copy: this file has no finding to benchmark.');
    return undefined;
  }
  const here = all.filter((d) => d.range.contains(editor.selection.active) || d.range.start.line === editor.selection.active.line);
  if (here.length === 1) return here[0];
  const items = (here.length > 1 ? here : all).map((d) => ({
    label: `line ${d.range.start.line + 1}: ${typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '')}`,
    detail: d.message,
    diagnostic: d,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Zero-Copy: benchmark which transfer?', matchOnDetail: true });
  return picked?.diagnostic;
}
