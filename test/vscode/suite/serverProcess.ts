/**
 * The language server process this extension host started, found through /proc (Linux): a
 * child of this process running `dist/cli.js lsp`. Lets a test kill it as a crash would.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export function canSeeProcesses(): boolean {
  return process.platform === 'linux' && existsSync('/proc/self/stat');
}

export function serverPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent pid is the 4th field of /proc/<pid>/stat, after the parenthesised command name.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.some((a) => a.endsWith('/dist/cli.js')) && argv.includes('lsp')) pids.push(Number(entry));
    } catch {
      // The process exited while being looked at.
    }
  }
  return pids;
}

/** Waits (polling /proc, which has no events) until a server other than `old` runs. */
export async function waitForServerOtherThan(old: number | undefined, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pid = serverPids().find((p) => p !== old);
    if (pid !== undefined) return pid;
    if (Date.now() > deadline) throw new Error(`no new language server process within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
