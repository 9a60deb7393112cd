/**
 * `zerocopy runtime-info --json` (not in the help: the language server's own probe): loads the
 * bundled `zerocopy` runtime in this process and prints what it can do here, as one JSON
 * `RuntimeInfo`. The language server runs it as a child process so that the addon, and the SIGBUS
 * handler it installs, never load into the server; a crash while loading costs only this process.
 */
import type { RuntimeInfo } from '../protocol';
import { UsageError } from './errors';

export function runtimeInfoCommand(args: readonly string[]): number {
  if (args.length !== 1 || args[0] !== '--json') throw new UsageError('zerocopy runtime-info takes --json');
  // Required here, not imported at the top: no other command loads the addon.
  const { available } = require('zerocopy') as typeof import('zerocopy');
  const info: RuntimeInfo = {
    platform: process.platform,
    arch: process.arch,
    node: process.version,
    loaded: available.loaded,
    ...(available.reason === undefined ? {} : { reason: available.reason.trim() }),
    ...(available.path === undefined ? {} : { path: available.path }),
    sendfile: available.sendfile,
    mmap: available.mmap,
    sigbusGuard: available.sigbusGuard,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  return 0;
}
