import * as vscode from 'vscode';
import {
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { SETTINGS_SECTION, type InitializationOptions } from '../../server/src/protocol';
import { documentSelector } from './documentSelector';
import type { RestartPolicy } from './restartPolicy';
import { ensureTrusted, runsUserCode } from './workspaceTrust';

export const CLIENT_ID = SETTINGS_SECTION; // also makes `zerocopy.trace.server` the trace setting
export const CLIENT_NAME = 'Zero-Copy Advisor';

/**
 * The bundled server (`dist/cli.js`, next to this bundle) run as `cli.js lsp` in a Node child
 * process over IPC; the language client appends `--node-ipc` and `--clientProcessId`.
 */
export function serverOptions(extensionUri: vscode.Uri): ServerOptions {
  const module = vscode.Uri.joinPath(extensionUri, 'dist', 'cli.js').fsPath;
  const args = ['lsp'];
  return {
    run: { module, args, transport: TransportKind.ipc },
    debug: { module, args, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
}

export function createLanguageClient(
  extensionUri: vscode.Uri,
  outputChannel: vscode.LogOutputChannel,
  restartPolicy: RestartPolicy,
): LanguageClient {
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    synchronize: { configurationSection: SETTINGS_SECTION },
    // Read at each start, so a server restarted after the user trusted the folder knows it.
    initializationOptions: (): InitializationOptions => ({ workspaceTrusted: vscode.workspace.isTrusted }),
    outputChannel,
    errorHandler: restartPolicy,
    // The log is there when wanted; failures are told in one notification, not by popping the output open.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: {
      // Code lenses offer to run the user's code (benchmarks): none in Restricted Mode.
      provideCodeLenses: (document, token, next) => (vscode.workspace.isTrusted ? next(document, token) : []),
      executeCommand: async (command, args, next) => {
        if (runsUserCode(command) && !(await ensureTrusted('Benchmarking'))) return undefined;
        return next(command, args);
      },
    },
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions(extensionUri), clientOptions);
}
