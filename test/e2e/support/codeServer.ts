/**
 * Runs a real VS Code (code-server: VS Code's workbench and Node extension host, served to a
 * browser) with its own user-data and extensions folders, on 127.0.0.1 and a free port.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

const SETUP_HINT = 'Install it with `bash .ci/setup-editors.sh` (Debian chromium + code-server 4.100.3), or point ZC_CODE_SERVER at a code-server binary.';

/** Where `.ci/setup-editors.sh` puts code-server, unless ZC_CODE_SERVER names one. */
export function findCodeServer(): string {
  const candidates = [
    process.env.ZC_CODE_SERVER,
    join(process.env.ZC_EDITORS_DIR ?? '/opt/zc-code-server', 'node_modules', '.bin', 'code-server'),
    join(REPO_ROOT, '.cache', 'editors', 'node_modules', '.bin', 'code-server'),
  ];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) throw new Error(`code-server is not installed. ${SETUP_HINT}`);
  return found;
}

export function findChromium(): string {
  const found = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((c): c is string => !!c && existsSync(c));
  if (!found) throw new Error(`Chromium is not installed. ${SETUP_HINT}`);
  return found;
}

/** A private profile: user data (settings, workspace storage) and extensions, deleted by `dispose`. */
export interface Profile {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  dispose(): void;
}

/** Settings that keep the workbench from opening things nobody asked for during a test. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  // An untrusted folder opens in Restricted Mode without the modal trust question.
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
  'editor.hover.delay': 100,
  // Below the line, where the editor has room for the whole hover (and its screenshot).
  'editor.hover.above': false,
  'files.autoSave': 'off',
  // One Explorer row per folder, so a path opens by clicking each of its parts.
  'explorer.compactFolders': false,
  // The built-in TypeScript checks would add problems of their own (the copied examples have no
  // node_modules); the Problems panel's per-file counts then are the extension's alone.
  'typescript.validate.enable': false,
  'javascript.validate.enable': false,
  // No network here: don't let TypeScript try to download type definitions.
  'typescript.disableAutomaticTypeAcquisition': true,
};

export function createProfile(settings: Record<string, unknown> = {}): Profile {
  const root = mkdtempSync(join(tmpdir(), 'zc-vscode-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  writeFileSync(join(root, 'code-server.yaml'), 'auth: none\n');
  return { root, userDataDir, extensionsDir, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** `code-server --install-extension` into the profile's extensions folder (a .vsix or a folder id). */
export function installExtension(profile: Profile, vsixOrId: string): string {
  const r = spawnSync(
    findCodeServer(),
    [
      '--config', join(profile.root, 'code-server.yaml'),
      '--user-data-dir', profile.userDataDir,
      '--extensions-dir', profile.extensionsDir,
      '--force',
      '--install-extension', vsixOrId,
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  const output = `${r.stdout}${r.stderr}`;
  if (r.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`installing ${vsixOrId} into code-server failed (exit ${r.status}):\n${output}`);
  }
  return output;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningCodeServer {
  url: string;
  process: ChildProcess;
  /** Everything code-server printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  profile: Profile;
  /** false: Workspace Trust stays on, and a folder nobody trusted opens in Restricted Mode. */
  trusted: boolean;
  env?: Record<string, string>;
}

/** Starts code-server and resolves once it listens. Its whole process group is killed by `stop`. */
export async function startCodeServer({ profile, trusted, env }: StartOptions): Promise<RunningCodeServer> {
  const port = await freePort();
  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    // Its own config file, so code-server does not create one in the user's home.
    '--config', join(profile.root, 'code-server.yaml'),
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    ...(trusted ? ['--disable-workspace-trust'] : []),
  ];
  // Its own process group, so the extension host and language server it spawns die with it.
  const child = spawn(findCodeServer(), args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (output += s));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    // Processes of the group that outlived their parent (an extension host, a language server).
    killGroup(child, 'SIGKILL');
  };
  killOnExit(() => killGroup(child, 'SIGKILL'));

  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitFor(() => output.includes(`HTTP server listening on ${url.slice(0, -1)}`), 60_000, () => child.exitCode !== null, 'code-server to listen');
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\ncode-server output:\n${output}`);
  }
  return { url, process: child, log: () => output, stop };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

const cleanups = new Set<() => void>();
let hooked = false;
/** Kills what a test started even when the test process is interrupted or exits early (synchronously: 'exit' allows nothing else). */
export function killOnExit(cleanup: () => void): void {
  cleanups.add(cleanup);
  if (hooked) return;
  hooked = true;
  const runAll = () => {
    for (const c of cleanups) c();
  };
  process.once('exit', runAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      runAll();
      process.exit(130);
    });
  }
}

/** Polls a condition (a file appearing, a log line) until it holds, or fails after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  gaveUp: () => boolean = () => false,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (gaveUp()) throw new Error(`gave up waiting for ${what}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
