import type * as vscode from 'vscode';
import { NotificationType, RequestType0, State, type LanguageClient } from 'vscode-languageclient/node';
import { RuntimeInfoRequest, StatusNotification, type RuntimeInfo, type StatusParams } from '../../server/src/protocol';
import { describeRuntime } from './runtimeInfo';
import type { ServerStatusItem } from './statusBar';

const statusType = new NotificationType<StatusParams>(StatusNotification);
const runtimeInfoType = new RequestType0<RuntimeInfo, void>(RuntimeInfoRequest);

/**
 * Feeds the status bar item from the two things it shows: the language client's process state
 * (starting, running, stopped) and the server's `zerocopy/status` notifications (analysing,
 * findings in the workspace). Logs each time a server comes up, and then what the bundled runtime
 * can do on this machine (asked of the server, which probes it in a child process).
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
        void reportRuntime(client, status, output);
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

async function reportRuntime(client: LanguageClient, status: ServerStatusItem, output: vscode.LogOutputChannel): Promise<void> {
  let info: RuntimeInfo;
  try {
    info = await client.sendRequest(runtimeInfoType);
  } catch (error) {
    // The server stopped before it answered: the next one is asked when it runs.
    output.warn(`Could not ask the language server about the zerocopy runtime: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const view = describeRuntime(info);
  output.info(view.log);
  status.showRuntime(view.tooltip);
}
