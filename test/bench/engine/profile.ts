/** One extra, untimed `zerocopy check` run under `node --cpu-prof`, summarised. */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { summarizeProfileFile } from '../cpu-profile';
import { measureChild } from '../measure';
import { CLI_JS, PROFILES_DIR } from '../paths';

export async function profileCheck(roots: string[], timeoutMs: number): Promise<string[]> {
  const dir = join(PROFILES_DIR, 'check');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const m = await measureChild({
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-name=check.cpuprofile'],
    args: [CLI_JS, 'check', ...roots, '--format', 'json'],
    stdoutFile: join(dir, 'stdout.txt'),
    usageFile: join(dir, 'usage.json'),
    timeoutMs,
  });
  const file = join(dir, 'check.cpuprofile');
  if (!existsSync(file)) return [`profile: no profile written (exit ${m.exitCode ?? m.signal}; ${readdirSync(dir).join(', ')})`];
  return summarizeProfileFile(file, 'one check run').lines;
}
