// Child processes for the benchmark: pinned to a core with taskset, waited for
// by their "listening PORT" line, and always killed by their own pid.
import { spawn, spawnSync } from 'node:child_process';
import * as net from 'node:net';

const started = new Set();
process.on('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});

export function pinned(core, command, args) {
  return ['taskset', ['-c', String(core), command, ...args]];
}

/** Runs a pinned command to completion and parses the JSON line it prints. */
export function runJson(core, command, args, options = {}) {
  const [cmd, cmdArgs] = pinned(core, command, args);
  const result = spawnSync(cmd, cmdArgs, { encoding: 'utf8', timeout: options.timeoutMs ?? 300_000, env: { ...process.env, ...options.env } });
  const line = result.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (result.status !== 0 || !line) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr.trim().slice(0, 400)}`);
  return JSON.parse(line);
}

/**
 * Starts a long-running pinned process. Ready when it prints "listening PORT",
 * or, given `options.port`, when that port accepts connections.
 */
export function startService(core, command, args, options = {}) {
  const [cmd, cmdArgs] = pinned(core, command, args);
  const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  started.add(child);
  let output = '';
  return new Promise((resolve, reject) => {
    let settled = false;
    const ready = (port) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ child, port, stop: () => stop(child) });
    };
    const timer = setTimeout(() => reject(new Error(`${command} did not become ready: ${output}`)), options.timeoutMs ?? 15_000);
    const poll = options.port
      ? setInterval(() => canConnect(options.port).then((ok) => ok && ready(options.port)), 50)
      : undefined;
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening (\d+)/.exec(output);
      if (match) ready(Number(match[1]));
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      if (!settled) reject(new Error(`${command} exited (${code}): ${output}`));
    });
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    started.delete(child);
  });
}

export function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
