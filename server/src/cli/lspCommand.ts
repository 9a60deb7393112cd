/**
 * `zerocopy lsp --stdio | --node-ipc | --socket=N | --pipe=NAME`: vscode-languageserver's
 * `createConnection()` picks the transport from the process arguments itself.
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { Inbox } from '../lsp/inbox';
import { startServer } from '../lsp/server';
import { UsageError } from './errors';

const TRANSPORTS = [/^--stdio$/, /^--node-ipc$/, /^--socket=\d+$/, /^--pipe=.+$/];

export function lspCommand(args: readonly string[]): 'running' {
  if (!args.some((a) => TRANSPORTS.some((t) => t.test(a)))) {
    throw new UsageError('zerocopy lsp needs a transport: --stdio, --node-ipc, --socket=<port> or --pipe=<name>');
  }
  const inbox = new Inbox();
  startServer(createConnection(ProposedFeatures.all, inbox.connectionOptions), inbox);
  return 'running';
}
