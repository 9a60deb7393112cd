/**
 * What the bundled `zerocopy` runtime can do on this machine, for `zerocopy/runtimeInfo`: asked of a
 * child process (`cli.js runtime-info --json`, with this process's Node), once per server, so that
 * the addon never loads into the language server (it installs a SIGBUS handler, and a broken
 * binary could take the process down). A probe that fails is reported as the fallback it means.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { RuntimeInfo } from '../protocol';
import { packageRoot } from '../report/packageRoot';

const PROBE_TIMEOUT_MS = 30_000;

/** Runs the probe; resolves with its stdout, or rejects with why it failed. */
export type RunProbe = () => Promise<string>;

/** The installed CLI, run as a child of this process's Node (Electron's, as Node, inside VS Code). */
export function probeWithCli(): RunProbe {
  return () =>
    new Promise((resolve, reject) => {
      const root = packageRoot();
      if (root === undefined) {
        reject(new Error('the server runs outside its package, so it cannot find the bundled runtime'));
        return;
      }
      execFile(process.execPath, [join(root, 'dist', 'cli.js'), 'runtime-info', '--json'], { timeout: PROBE_TIMEOUT_MS, windowsHide: true }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message.split('\n')[0]}${stderr ? `: ${stderr.trim().split('\n').slice(-1)[0]}` : ''}`));
        else resolve(stdout);
      });
    });
}

/** The probe's answer, started on first use and kept; never rejects. */
export function createRuntimeInfo(run: RunProbe): () => Promise<RuntimeInfo> {
  let info: Promise<RuntimeInfo> | undefined;
  return () =>
    (info ??= run().then(
      (stdout) => JSON.parse(stdout) as RuntimeInfo,
      (error: unknown) => ({
        platform: process.platform,
        arch: process.arch,
        node: process.version,
        loaded: false,
        reason: `the runtime probe failed: ${error instanceof Error ? error.message : String(error)}`,
        sendfile: false,
        mmap: false,
        sigbusGuard: false,
      }),
    ));
}
