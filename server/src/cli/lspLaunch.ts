/**
 * What `zerocopy lsp` decides before the server (and TypeScript) is loaded: whether the process
 * has the server's node flags, and if not, to start again with them. Kept free of heavy imports so
 * the process that relays stdio stays small.
 */
import { spawn } from 'node:child_process';
import { SERVER_NODE_FLAGS } from '../protocol';
import { UsageError } from './errors';

const TRANSPORTS = [/^--stdio$/, /^--node-ipc$/, /^--socket=\d+$/, /^--pipe=.+$/];

export function checkTransport(args: readonly string[]): void {
  if (!args.some((a) => TRANSPORTS.some((t) => t.test(a)))) {
    throw new UsageError('zerocopy lsp needs a transport: --stdio, --node-ipc, --socket=<port> or --pipe=<name>');
  }
}

/**
 * A heap limit can only be set when a process starts: without one, start again with it, handing
 * over stdio, and resolve with the server's exit status. Not for --node-ipc, whose channel belongs
 * to this process (the VS Code client passes the flags itself). Undefined: run the server here.
 */
export function relaunchIfNeeded(args: readonly string[]): Promise<number> | undefined {
  checkTransport(args);
  const hasLimit = process.execArgv.some((a) => a.startsWith('--max-old-space-size'));
  if (hasLimit || args.includes('--node-ipc') || !process.argv[1]) return undefined;
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...process.execArgv, process.argv[1], ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', () => resolve(2));
  });
}
