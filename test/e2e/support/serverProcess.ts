/**
 * The language server processes an installed extension started, found through /proc by the
 * extensions folder they run from (each test profile has its own, so nobody else's match).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { waitFor } from './codeServer';

export function findServerProcesses(extensionsDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // exited meanwhile
    }
    const script = argv.findIndex((a) => a.startsWith(extensionsDir) && a.endsWith('/dist/cli.js'));
    if (script >= 0 && argv[script + 1] === 'lsp') pids.push(Number(entry));
  }
  return pids;
}

export function killProcess(pid: number): void {
  process.kill(pid, 'SIGKILL');
}

/** Waits until a server process that is not one of `old` runs, and returns its pid. */
export async function waitForNewServer(extensionsDir: string, old: number[], timeoutMs = 30_000): Promise<number> {
  let found: number | undefined;
  await waitFor(
    () => {
      found = findServerProcesses(extensionsDir).find((pid) => !old.includes(pid));
      return found !== undefined;
    },
    timeoutMs,
    () => false,
    'the language server to be restarted',
  );
  return found!;
}
