import type * as vscode from 'vscode';
import { NotificationType, State, type LanguageClient } from 'vscode-languageclient/node';
import { StatusNotification, type StatusParams } from '../../server/src/protocol';
import type { ServerStatusItem } from './statusBar';

const statusType = new NotificationType<StatusParams>(StatusNotification);

/**
 * Feeds the status bar item from the two things it shows: the language client's process state
 * (starting, running, stopped) and the server's `zerocopy/status` notifications (analysing,
 * findings in the workspace). Logs each time a server comes up.
 */
export function showServerState(client: LanguageClient, status: ServerStatusItem, output: vscode.LogOutputChannel): vscode.Disposable[] {
  let lastStatus: StatusParams | undefined;
  const notifications = client.onNotification(statusType, (params) => {
    lastStatus = params;
    if (client.state === State.Running) status.show({ kind: 'running', status: params });
  });
  const states = client.onDidChangeState(({ newState }) => {
    switch (newState) {
      case State.Running: {
        const info = client.initializeResult?.serverInfo;
        const version = info?.version ? ` ${info.version}` : '';
        output.info(`The ${info?.name ?? 'Zero-Copy'} language server${version} is running.`);
        status.show({ kind: 'running', status: lastStatus });
        break;
      }
      case State.Starting:
        lastStatus = undefined; // a new server process publishes its own counts
        status.show({ kind: 'starting' });
        break;
      default:
        status.show({ kind: 'stopped' });
    }
  });
  return [notifications, states];
}
