/**
 * Helpers for tests that run inside the extension host against the installed extension:
 * activating it, reading its diagnostics, and waiting on VS Code's own events.
 */
import * as vscode from 'vscode';

export const EXTENSION_ID = 'zerocopy.zero-copy-advisor';
export const SOURCE = 'zerocopy';

/** The part of the extension's exports the tests use (typed here: tests do not import the client). */
export interface ProductApi {
  client: {
    state: number;
    isRunning(): boolean;
    onDidChangeState(listener: (e: { oldState: number; newState: number }) => void): vscode.Disposable;
  };
}
/** vscode-languageclient's State values. */
export const STOPPED = 1;
export const RUNNING = 2;

/** Resolves once the language client is in `state`. */
export function waitForClientState(api: ProductApi, state: number, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (api.client.state === state) return resolve();
    const subscription = api.client.onDidChangeState((e) => {
      if (e.newState !== state) return;
      subscription.dispose();
      clearTimeout(timer);
      resolve();
    });
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`the language client did not reach state ${state} in ${timeoutMs} ms (it is ${api.client.state})`));
    }, timeoutMs);
  });
}

export async function activateProduct(): Promise<ProductApi> {
  const extension = vscode.extensions.getExtension<ProductApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  return extension.activate();
}

export function workspaceUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs a workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...relativePath.split('/'));
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === SOURCE)
    .sort((a, b) => a.range.start.compareTo(b.range.start));
}

/** Resolves once `check` holds for the diagnostics of `uri`, re-checking on every diagnostics change. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  check: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      subscription.dispose();
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(ours(uri));
    };
    const test = () => {
      if (check(ours(uri))) done();
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) test();
    });
    const timer = setTimeout(
      () => done(new Error(`timed out after ${timeoutMs} ms waiting for ${what} in ${uri.fsPath}; diagnostics: ${describe(ours(uri))}`)),
      timeoutMs,
    );
    test();
  });
}

export function describe(diagnostics: readonly vscode.Diagnostic[]): string {
  return JSON.stringify(
    diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${codeOf(d)} ${vscode.DiagnosticSeverity[d.severity]}`),
  );
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return code === undefined ? undefined : String(code);
}

export function positionsOf(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}`).sort();
}

/** Sets a `zerocopy.*` setting for the workspace folder, or removes it with `undefined`. */
export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('zerocopy').update(key, value, vscode.ConfigurationTarget.Workspace);
}

/** Resolves when a tab whose label matches is open (a Markdown preview is a webview tab). */
export function waitForTab(label: string, timeoutMs = 30_000): Promise<void> {
  const isOpen = () => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.label === label));
  return new Promise((resolve, reject) => {
    if (isOpen()) return resolve();
    const subscription = vscode.window.tabGroups.onDidChangeTabs(() => {
      if (!isOpen()) return;
      subscription.dispose();
      clearTimeout(timer);
      resolve();
    });
    const timer = setTimeout(() => {
      subscription.dispose();
      const labels = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
      reject(new Error(`no tab "${label}" after ${timeoutMs} ms; open tabs: ${JSON.stringify(labels)}`));
    }, timeoutMs);
  });
}
