/**
 * `zerocopy lsp --stdio | --node-ipc | --socket=N | --pipe=NAME`: vscode-languageserver's
 * `createConnection()` picks the transport from the process arguments itself.
 */
import { spawn } from 'node:child_process';
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from '../lsp/server';
import { UsageError } from './errors';
import { SERVER_NODE_FLAGS } from '../protocol';

const TRANSPORTS = [/^--stdio$/, /^--node-ipc$/, /^--socket=\d+$/, /^--pipe=.+$/];

export function lspCommand(args: readonly string[]): 'running' | Promise<number> {
  if (!args.some((a) => TRANSPORTS.some((t) => t.test(a)))) {
    throw new UsageError('zerocopy lsp needs a transport: --stdio, --node-ipc, --socket=<port> or --pipe=<name>');
  }
  // A heap limit can only be set when the process starts: start again with it, handing over stdio.
  // Not for --node-ipc, whose channel belongs to this process (the VS Code client sets the flag itself).
  const hasLimit = process.execArgv.some((a) => a.startsWith('--max-old-space-size'));
  if (!hasLimit && !args.includes('--node-ipc') && process.argv[1]) return relaunchWith(SERVER_NODE_FLAGS);
  startServer(createConnection(ProposedFeatures.all));
  return 'running';
}

function relaunchWith(flags: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [...flags, ...process.execArgv, process.argv[1]!, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', () => resolve(2));
  });
}
