import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol';

/** What the client knows about the server: its process state, and the last status it sent. */
export type ServerState =
  | { kind: 'starting' }
  | { kind: 'stopped' }
  | { kind: 'running'; status: StatusParams | undefined };

const OPEN_PROBLEMS = 'workbench.actions.view.problems';

/**
 * One status bar item that says what the server is doing: starting, analysing, how many findings
 * the workspace has, or that it stopped. Clicking it opens the Problems view, where the findings are.
 */
export class ServerStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private state: ServerState = { kind: 'starting' };
  /** What the runtime can do here (markdown), once the server said; kept across its restarts. */
  private runtime: string | undefined;

  constructor() {
    this.item = vscode.window.createStatusBarItem('zerocopy.status', vscode.StatusBarAlignment.Left, 0);
    this.item.name = 'Zero-Copy Advisor';
    this.item.command = OPEN_PROBLEMS;
    this.show({ kind: 'starting' });
    this.item.show();
  }

  show(state: ServerState): void {
    this.state = state;
    const view = describe(state);
    this.item.text = view.text;
    const runtime = this.runtime === undefined ? '' : `\n\n${this.runtime}`;
    this.item.tooltip = new vscode.MarkdownString(
      `${view.tooltip}${runtime}\n\n[Open Problems](command:${OPEN_PROBLEMS}) · [Restart Server](command:zerocopy.restartServer)`,
      true,
    );
    this.item.tooltip.isTrusted = { enabledCommands: [OPEN_PROBLEMS, 'zerocopy.restartServer'] };
    this.item.accessibilityInformation = { label: `Zero-Copy Advisor: ${view.tooltip}` };
    this.item.backgroundColor = view.alarming ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  /** Adds what the runtime can do on this machine (markdown) to the tooltip. */
  showRuntime(markdown: string): void {
    this.runtime = markdown;
    this.show(this.state);
  }

  dispose(): void {
    this.item.dispose();
  }
}

interface StatusView {
  text: string;
  tooltip: string;
  alarming: boolean;
}

export function describe(state: ServerState): StatusView {
  switch (state.kind) {
    case 'starting':
      return { text: '$(loading~spin) Zero-Copy', tooltip: 'starting the language server', alarming: false };
    case 'stopped':
      return { text: '$(error) Zero-Copy: stopped', tooltip: 'the language server is stopped', alarming: true };
    case 'running': {
      const status = state.status;
      if (status?.state === 'analysing') {
        return { text: '$(sync~spin) Zero-Copy: analysing', tooltip: 'analysing…', alarming: false };
      }
      const findings = status?.findings ?? 0;
      // Files the analysis stopped short in: their findings may be incomplete (the Problems view says why).
      const incomplete = status?.incomplete ? `; ${plural(status.incomplete, 'file')} analysed only in part` : '';
      if (findings === 0) {
        return { text: '$(check) Zero-Copy', tooltip: `no file-to-socket copies found${incomplete}`, alarming: false };
      }
      const files = status?.files ?? 0;
      return {
        text: `$(zap) Zero-Copy: ${findings}`,
        tooltip: `${plural(findings, 'finding')} in ${plural(files, 'file')}${incomplete}`,
        alarming: false,
      };
    }
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
