/**
 * A minimal LSP client for the benchmark: spawns the real server (`node dist/cli.js lsp
 * --stdio`), speaks JSON-RPC over its stdio (vscode-languageserver-protocol, on vscode-jsonrpc),
 * answers what a server may ask of an editor (configuration, progress tokens, registrations),
 * and timestamps every publishDiagnostics the moment it arrives.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type ConfigurationParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { DEFAULT_SETTINGS, SETTINGS_SECTION } from '../../../server/src/protocol';
import { CLI_JS } from '../paths';

export interface TimedDiagnostics {
  at: number;
  params: PublishDiagnosticsParams;
}

export interface LspSession {
  /** The last work-done progress seen per token (message and percentage). */
  progress: Map<string | number, { message?: string; percentage?: number }>;
  /** Rejects if the server process exits before `close()` asks it to. */
  died: Promise<never>;
  connection: ProtocolConnection;
  child: ChildProcess;
  /** The process that runs the server. */
  pid: number;
  /** Registers a one-off waiter for the next publishDiagnostics matching `accept`. */
  nextDiagnostics(accept: (p: PublishDiagnosticsParams) => boolean, timeoutMs: number): Promise<TimedDiagnostics>;
  /** Asks the server to shut down and exit; kills it if it has not exited within the timeout. */
  close(timeoutMs?: number): Promise<void>;
  stderrTail(): string;
}

const EDITOR_ACCEPTS = [
  'window/workDoneProgress/create',
  'client/registerCapability',
  'client/unregisterCapability',
  'window/showMessageRequest',
  'workspace/diagnostic/refresh',
  'workspace/codeLens/refresh',
  'workspace/inlayHint/refresh',
  'workspace/semanticTokens/refresh',
];

/** The value of a dotted settings section, as an editor's workspace/configuration answers it. */
function settingsFor(section: string | undefined): unknown {
  const root: Record<string, unknown> = { [SETTINGS_SECTION]: DEFAULT_SETTINGS };
  if (!section) return root;
  let at: unknown = root;
  for (const key of section.split('.')) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return at ?? null;
}

export async function startServer(workspaceDir: string, logFile: string, nodeFlags: string[] = []): Promise<LspSession> {
  const child = spawn(process.execPath, [...nodeFlags, CLI_JS, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('could not start the language server');
  const log: WriteStream = createWriteStream(logFile);
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => {
    stderr = (stderr + c).slice(-4000);
    log.write(c);
  });
  let exitedHow = '';
  let closing = false;
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exitedHow = `exit ${code ?? signal}`;
      resolve();
    }),
  );
  /** Rejects when the server dies unasked, so nobody waits forever on a dead connection. */
  const died = exited.then(() => {
    // V8's out-of-memory report is 20 lines of native stack: its FATAL line says it all.
    const fatal = /^FATAL ERROR:.*$/m.exec(stderr)?.[0] ?? /^\S*Error:.*$/m.exec(stderr)?.[0] ?? stderr.trim().slice(-300);
    throw new Error(`the server died (${exitedHow}): ${fatal}`);
  });
  died.catch(() => undefined); // observed by whoever races it

  const connection = createProtocolConnection(child.stdout!, child.stdin!);
  const waiters: { accept: (p: PublishDiagnosticsParams) => boolean; resolve: (d: TimedDiagnostics) => void; reject: (e: Error) => void }[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    const at = performance.now();
    const i = waiters.findIndex((w) => w.accept(params));
    if (i !== -1) waiters.splice(i, 1)[0]!.resolve({ at, params });
  });
  const progress = new Map<string | number, { message?: string; percentage?: number }>();
  connection.onNotification('$/progress', (p: { token: string | number; value: { message?: string; percentage?: number } }) => {
    const last = progress.get(p.token) ?? {};
    progress.set(p.token, { message: p.value.message ?? last.message, percentage: p.value.percentage ?? last.percentage });
  });
  connection.onNotification(LogMessageNotification.type, (p) => {
    log.write(`[log ${p.type}] ${p.message}\n`);
  });
  connection.onRequest('workspace/configuration', (p: ConfigurationParams) => p.items.map((item) => settingsFor(item.section)));
  connection.onRequest('workspace/workspaceFolders', () => [{ uri: pathToFileURL(workspaceDir).href, name: 'bench' }]);
  // What an editor accepts without a second thought: progress tokens, registrations, refreshes.
  for (const method of EDITOR_ACCEPTS) connection.onRequest(method, () => null);
  connection.onUnhandledNotification(() => undefined); // zerocopy/status, telemetry…
  connection.listen();

  const workspaceUri = pathToFileURL(workspaceDir).href;
  const initialize = connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: workspaceUri,
    workspaceFolders: [{ uri: workspaceUri, name: 'bench' }],
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceEdit: { documentChanges: true } },
      textDocument: {
        synchronization: { dynamicRegistration: false, didSave: true },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        // As VS Code announces it: code action literals, isPreferred, data, and the edit resolved later.
        codeAction: {
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'refactor.rewrite', 'source', 'source.fixAll'] } },
          isPreferredSupport: true,
          dataSupport: true,
          resolveSupport: { properties: ['edit'] },
        },
      },
      window: { workDoneProgress: true },
    },
  });
  const tooSlow = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer to initialize within 30 s')), 30_000).unref());
  try {
    await Promise.race([initialize, died, tooSlow]);
  } catch (err) {
    child.kill('SIGKILL');
    connection.dispose();
    throw err;
  }
  await connection.sendNotification(InitializedNotification.type, {});

  // Waiters for diagnostics fail at once if the server dies.
  died.catch((err: Error) => {
    if (closing) return;
    for (const w of waiters.splice(0)) w.reject(err);
  });

  return {
    died: died.then(
      () => undefined as never,
      (err: unknown) => {
        if (closing) return new Promise<never>(() => undefined);
        throw err;
      },
    ),
    progress,
    connection,
    child,
    pid: child.pid,
    nextDiagnostics(accept, timeoutMs) {
      return new Promise((resolve, reject) => {
        const waiter = {
          accept,
          resolve: (d: TimedDiagnostics) => {
            clearTimeout(timer);
            resolve(d);
          },
          reject: (e: Error) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        const timer = setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i !== -1) waiters.splice(i, 1);
          reject(new Error(`no publishDiagnostics within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    async close(timeoutMs = 5000) {
      closing = true;
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        await Promise.race([connection.sendRequest(ShutdownRequest.type), exited]);
        await connection.sendNotification(ExitNotification.type);
      } catch {
        child.kill('SIGKILL');
      }
      await exited;
      clearTimeout(timer);
      connection.dispose();
      log.end();
    },
    stderrTail: () => stderr,
  };
}
