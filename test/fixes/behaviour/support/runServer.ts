/**
 * Runs one server program in a child process (`node --require preload <file>`) on 127.0.0.1 and
 * port 0, waits for it to listen (the preload reports the port), and asks it how the files went
 * out (the preload's observations). Everything is awaited on messages and exits, never on a delay.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ChildMessage, Observation, TestMessage } from './protocol';

const PRELOAD = join(__dirname, 'preload.js');
const START_TIMEOUT_MS = 20_000;

export interface RunningServer {
  port: number;
  /** The modules the program required under an alias (protocol.ts). */
  aliased: string[];
  /** What the child observed since the last call (protocol.ts). */
  observations(): Promise<Observation[]>;
  /** What the program printed (for failure messages). */
  output(): string;
  /** Whether it exited by itself (a crash), and how. */
  exited(): string | undefined;
  /** How it exited, once it has (after `observations()` failed: it is gone or going). */
  whenExited(): Promise<string>;
  stop(): Promise<void>;
}

/** Runs the program as another user (`uid`/`gid`), where given. */
export interface RunAs {
  uid: number;
  gid: number;
}

export async function runServer(file: string, env: Record<string, string>, as?: RunAs): Promise<RunningServer> {
  const child = fork(file, [], {
    ...(as ? { uid: as.uid, gid: as.gid } : {}),
    cwd: join(file, '..'),
    execArgv: ['--require', PRELOAD],
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (output += s));
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => ((exit = `exit ${code ?? signal}`), resolve())));

  let aliased: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not listen within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'listening') {
        clearTimeout(timer);
        aliased = m.aliased;
        resolve(m.port);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${file} exited before listening (${exit}):\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stopChild(child, exited);
    throw error;
  });

  let nextId = 1;
  return {
    port,
    aliased,
    output: () => output,
    exited: () => exit,
    whenExited: () => exited.then(() => exit!),
    observations: () =>
      new Promise<Observation[]>((resolve, reject) => {
        if (exit) return reject(new Error(`${file} is not running (${exit}):\n${output}`));
        const id = nextId++;
        const onMessage = (m: ChildMessage) => {
          if (m.type !== 'reports' || m.id !== id) return;
          child.off('message', onMessage);
          resolve(m.observations);
        };
        child.on('message', onMessage);
        void exited.then(() => reject(new Error(`${file} exited (${exit}):\n${output}`)));
        try {
          child.send({ type: 'reports', id } satisfies TestMessage, (error) => error && reject(error));
        } catch (error) {
          reject(error as Error); // the channel closed: the child is gone
        }
      }),
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
