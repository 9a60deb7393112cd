import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { SERVER_COMMANDS, type BenchmarkCommandArgs, type BenchReport } from '../../../server/src/protocol';

/** What the results view asks of the extension. */
type ViewMessage = { type: 'apply'; variant: string } | { type: 'copyMarkdown' } | { type: 'saveJson' };

/**
 * The results view: a webview (strict CSP: only this extension's script, with a nonce, and its
 * stylesheet; no remote content) drawn by dist/benchmark-view.js from the report, which is handed
 * over as data. Its buttons come back here: apply a fix (the server's own code action for the
 * finding), copy the report as Markdown (the server renders it), save the JSON.
 */
export class BenchmarkPanels implements vscode.Disposable {
  private readonly panels = new Set<vscode.WebviewPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  show(report: BenchReport, args: BenchmarkCommandArgs): vscode.WebviewPanel {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel('zerocopy.benchmark', `Benchmark: ${report.finding.file}:${report.finding.line}`, vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [dist],
      retainContextWhenHidden: true,
    });
    panel.webview.html = html(panel.webview, dist, report);
    panel.webview.onDidReceiveMessage((message: ViewMessage) => void this.handle(message, report, args));
    panel.onDidDispose(() => this.panels.delete(panel));
    this.panels.add(panel);
    return panel;
  }

  private async handle(message: ViewMessage, report: BenchReport, args: BenchmarkCommandArgs): Promise<void> {
    try {
      if (message.type === 'copyMarkdown') {
        const markdown = (await this.client.sendRequest(ExecuteCommandRequest.type, { command: SERVER_COMMANDS.benchmarkMarkdown, arguments: [report] })) as string;
        await vscode.env.clipboard.writeText(markdown);
        void vscode.window.showInformationMessage('Zero-Copy: the benchmark is on the clipboard as Markdown.');
      } else if (message.type === 'saveJson') {
        const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(args.uri))?.uri;
        const target = await vscode.window.showSaveDialog({
          ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, 'zerocopy-bench.json') } : {}),
          filters: { JSON: ['json'] },
          title: 'Save the benchmark as JSON',
        });
        if (!target) return;
        await vscode.workspace.fs.writeFile(target, Buffer.from(`${JSON.stringify(report, null, 2)}\n`));
        void vscode.window.showInformationMessage(`Zero-Copy: saved ${vscode.workspace.asRelativePath(target)}.`);
      } else if (message.type === 'apply') {
        await this.applyFix(report, args, message.variant);
      }
    } catch (error) {
      this.output.error(`Benchmark view: ${error instanceof Error ? error.message : String(error)}`);
      void vscode.window.showErrorMessage(`Zero-Copy: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The fix is the server's code action for the finding whose title the variant carries: the same edit as the lightbulb's. */
  private async applyFix(report: BenchReport, args: BenchmarkCommandArgs, variantName: string): Promise<void> {
    const variant = report.variants.find((v) => v.name === variantName && v.kind === 'fix');
    if (!variant) return;
    const uri = vscode.Uri.parse(args.uri);
    const at = new vscode.Position(args.line, args.character ?? 0);
    // Resolved (the server may compute a fix's edit only on codeAction/resolve).
    const actions = (await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>('vscode.executeCodeActionProvider', uri, new vscode.Range(at, at), undefined, 50)) ?? [];
    const action = actions.find((a): a is vscode.CodeAction => 'kind' in a && a.title === variant.description);
    if (!action) {
      void vscode.window.showWarningMessage(`Zero-Copy: "${variant.description}" is not offered for this finding any more (has the file changed?).`);
      return;
    }
    if (action.edit) await vscode.workspace.applyEdit(action.edit);
    if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
    await vscode.window.showTextDocument(uri, { preview: false, viewColumn: vscode.ViewColumn.One });
  }

  dispose(): void {
    for (const panel of this.panels) panel.dispose();
  }
}

function html(webview: vscode.Webview, dist: vscode.Uri, report: BenchReport): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'benchmark-view.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'benchmark-view.css'));
  const csp = [`default-src 'none'`, `img-src ${webview.cspSource} data:`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
  // The report is data, not script: `<` escaped so no text in it can close the element.
  const data = JSON.stringify(report).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Benchmark</title>
</head>
<body>
<main id="app"></main>
<script type="application/json" id="report">${data}</script>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
