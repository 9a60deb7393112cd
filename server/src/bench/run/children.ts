/**
 * The benchmark's child processes: started with an IPC channel (they exit when it closes, so an
 * orchestrator that dies takes them along), pinned to a core with taskset when there are two and
 * taskset exists, asked questions one at a time, and killed by pid — every one of them, on every
 * way out (end, cancel, error, time limit).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

export type Pinning = { cores: [number, number] | undefined; description: string };

export function pinning(): Pinning {
  if (cpus().length < 2) return { cores: undefined, description: 'not pinned: one core' };
  if (process.platform !== 'linux' || spawnSync('taskset', ['-c', '0', 'true']).status !== 0) {
    return { cores: undefined, description: 'not pinned: taskset is not available' };
  }
  return { cores: [0, 1], description: 'serving process on core 0, load client on core 1 (taskset)' };
}

/** dist/bench-serve.js beside the bundle, or the compiled children/ beside run/ (tests of out/). */
export function childScript(name: 'serve' | 'load'): string {
  const candidates = [join(__dirname, `bench-${name}.js`), join(__dirname, '..', 'children', `${name}.js`)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`cannot find the benchmark's ${name} script (looked at ${candidates.join(', ')})`);
  return found;
}

interface Waiter {
  types: readonly string[];
  resolve(message: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

const running = new Set<Child>();

/** Kills every child still running: for exit paths that cannot wait (a signal, an uncaught error). */
export function killAllChildren(): void {
  for (const child of running) child.kill();
}

export class Child {
  readonly process: ChildProcess;
  /** Messages of type 'error' the child sent, in order; `events` emits each as 'error-message'. */
  readonly errors: string[] = [];
  readonly events = new EventEmitter();
  stderr = '';
  private waiters: Waiter[] = [];
  private exited = false;

  constructor(script: string, args: readonly string[], core: number | undefined, env: NodeJS.ProcessEnv) {
    const command = core === undefined ? process.execPath : 'taskset';
    const argv = core === undefined ? [script, ...args] : ['-c', String(core), process.execPath, script, ...args];
    this.process = spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, ...env } });
    running.add(this);
    this.process.stderr?.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 8192) this.stderr += chunk.toString();
    });
    this.process.on('message', (message: { type: string; message?: string }) => {
      if (message.type === 'error') {
        this.errors.push(message.message ?? 'error');
        this.events.emit('error-message', message.message ?? 'error');
      }
      const index = this.waiters.findIndex((w) => w.types.includes(message.type) || (message.type === 'error' && w.types.includes('ready')));
      if (index < 0) return;
      const [waiter] = this.waiters.splice(index, 1);
      clearTimeout(waiter!.timer);
      if (message.type === 'error') waiter!.reject(new Error(message.message));
      else waiter!.resolve(message);
    });
    this.process.on('exit', (code, signal) => {
      this.exited = true;
      running.delete(this);
      const why = new Error(`exited (${signal ?? code})${this.errors.length ? `: ${this.errors.at(-1)}` : this.stderr ? `: ${this.stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`);
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(why);
      }
    });
    this.process.on('error', () => undefined);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** The next message of `type` (or of one of the types) — sending `message` first, if given. */
  ask<T>(type: string | readonly string[], message: object | undefined, timeoutMs: number): Promise<T> {
    const types = typeof type === 'string' ? [type] : type;
    if (this.exited) return Promise.reject(new Error('the process has exited'));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.waiters.push({ types, resolve: resolve as (m: unknown) => void, reject, timer });
      if (message) this.process.send(message);
    });
  }

  kill(): void {
    if (!this.exited) this.process.kill('SIGKILL');
    running.delete(this);
  }
}
