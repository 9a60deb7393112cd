/**
 * A small LSP client over a real server process's stdio, for protocol tests: JSON-RPC framing
 * written here (so a test can put several messages in one write, as a fast typist's editor
 * does), answers to the server's requests (configuration, progress tokens, registrations),
 * and waits on notifications with a timeout, never a fixed sleep.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CLI = resolve(__dirname, '../../../../dist/cli.js');

export interface Message {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: any;
  result?: any;
  error?: { code: number; message: string };
  seq?: number;
}

export interface Notification {
  method: string;
  params: any;
  /** Position in the order of everything received (responses included). */
  seq: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export class LspClient {
  readonly notifications: Notification[] = [];
  readonly serverRequests: Message[] = [];
  /** Answers to server -> client requests, by method; the default answers null. */
  readonly handlers = new Map<string, (params: any) => unknown>();
  stderr = '';
  private seq = 0;
  private nextId = 1;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, { resolve(m: Message): void; seq?: number }>();
  private readonly waiters = new Set<() => void>();
  readonly exited: Promise<number | null>;

  private constructor(readonly process: ChildProcessWithoutNullStreams) {
    process.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => process.on('exit', (code) => resolve(code)));
  }

  static start(env: NodeJS.ProcessEnv = {}): LspClient {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`node scripts/build.mjs\` first`);
    const child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { env: { ...process.env, ...env }, stdio: 'pipe' });
    return new LspClient(child);
  }

  /**
   * A server started as an editor starts one on folder `root`: the folder as the workspace, the
   * default settings for every `workspace/configuration` item, initialised.
   */
  static async onFolder(root: string): Promise<LspClient> {
    const client = LspClient.start();
    client.handlers.set('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
    const rootUri = pathToFileURL(root).href;
    await client.call('initialize', { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'ws' }], capabilities: CLIENT_CAPABILITIES });
    client.notify('initialized', {});
    return client;
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Sends a request; resolves with the whole response message (result or error). */
  request(method: string, params?: unknown): { id: number; response: Promise<Message> } {
    const id = this.nextId++;
    const response = new Promise<Message>((resolve) => this.pending.set(id, { resolve }));
    this.write([{ jsonrpc: '2.0', id, method, params }]);
    return { id, response };
  }

  async call(method: string, params?: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<any> {
    const { response } = this.request(method, params);
    const message = await withTimeout(response, timeoutMs, `response to ${method}`);
    if (message.error) throw new Error(`${method} failed: ${message.error.message}`);
    return message.result;
  }

  notify(method: string, params?: unknown): void {
    this.write([{ jsonrpc: '2.0', method, params }]);
  }

  /** Writes messages back to back in one chunk. Requests among them get ids and pending entries. */
  write(messages: Message[] | Array<Omit<Message, 'jsonrpc'> & { jsonrpc?: '2.0' }>): void {
    const frames = messages.map((m) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...m }), 'utf8');
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
    });
    this.process.stdin.write(Buffer.concat(frames));
  }

  /** A request to put in a batch for `write`; its response arrives through `response`. */
  batchRequest(method: string, params?: unknown): { message: Message; response: Promise<Message> } {
    const id = this.nextId++;
    const response = new Promise<Message>((resolve) => this.pending.set(id, { resolve }));
    return { message: { jsonrpc: '2.0', id, method, params }, response };
  }

  /** The sequence number the next message received will get. */
  mark(): number {
    return this.seq;
  }

  /** The first notification (received at or after `since`) that matches. */
  async waitFor(method: string, match: (params: any) => boolean = () => true, since = 0, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Notification> {
    const find = () => this.notifications.find((n) => n.seq >= since && n.method === method && match(n.params));
    return this.until(find, timeoutMs, `${method} notification`);
  }

  /** Resolves once `check` returns something, checking after every message received. */
  until<T>(check: () => T | undefined | false, timeoutMs = DEFAULT_TIMEOUT_MS, what = 'condition'): Promise<T> {
    const found = check();
    if (found) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter = () => {
        const value = check();
        if (value) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; server stderr:\n${this.stderr}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
    });
  }

  diagnosticsFor(uri: string, since = 0): Array<{ version?: number; diagnostics: any[]; seq: number }> {
    return this.notifications
      .filter((n) => n.seq >= since && n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri)
      .map((n) => ({ version: n.params.version, diagnostics: n.params.diagnostics, seq: n.seq }));
  }

  logs(type?: number): string[] {
    return this.notifications
      .filter((n) => n.method === 'window/logMessage' && (type === undefined || n.params.type === type))
      .map((n) => n.params.message as string);
  }

  /** shutdown + exit, then waits for the process to end (killed if it does not). */
  async stop(): Promise<number | null> {
    if (this.alive) {
      try {
        await this.call('shutdown', undefined, 5000);
        this.notify('exit');
      } catch {
        // fall through to the kill below
      }
    }
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = Number(/Content-Length: (\d+)/i.exec(header)?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.onMessage(JSON.parse(body) as Message);
    }
  }

  private onMessage(message: Message): void {
    const seq = this.seq++;
    if (message.method !== undefined && message.id !== undefined) {
      this.serverRequests.push(message);
      const handler = this.handlers.get(message.method);
      let result: unknown = null;
      if (handler) result = handler(message.params);
      this.write([{ jsonrpc: '2.0', id: message.id, result: result ?? null }]);
    } else if (message.method !== undefined) {
      this.notifications.push({ method: message.method, params: message.params, seq });
    } else if (typeof message.id === 'number') {
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      pending?.resolve({ ...message, seq } as Message);
    }
    for (const waiter of [...this.waiters]) waiter();
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms))),
  ]);
}

/** The capabilities the test client announces: what VS Code announces for these features. */
export const CLIENT_CAPABILITIES = {
  workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: true } },
  window: { workDoneProgress: true },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
  },
};
