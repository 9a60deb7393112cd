/**
 * `zerocopy lsp --stdio | --node-ipc | --socket=N | --pipe=NAME`: vscode-languageserver's
 * `createConnection()` picks the transport from the process arguments itself.
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from '../lsp/server';
import { checkTransport } from './lspLaunch';

export function lspCommand(args: readonly string[]): 'running' {
  checkTransport(args);
  startServer(createConnection(ProposedFeatures.all));
  return 'running';
}
