// Real files, real loopback sockets and child processes for the zerocopy tests.
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const KiB = 1024;
export const MiB = 1024 * 1024;

export function sha256(...parts: (Buffer | string)[]): string {
  const hash = crypto.createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

/** A temporary directory removed by the returned cleanup. */
export function makeTempDir(): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zerocopy-test-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A copy of the built package in `dir` (created here) with only the given native binaries: this
 * platform's prebuilds, and `localBuild` where node-gyp puts its build (build/Release).
 */
export function stagePackage(dir: string, withPrebuild: boolean, localBuild?: string): string {
  const packageDir = path.dirname(require.resolve('zerocopy/package.json'));
  fs.mkdirSync(dir);
  fs.cpSync(path.join(packageDir, 'dist'), path.join(dir, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(packageDir, 'package.json'), path.join(dir, 'package.json'));
  // node-gyp-build resolves from the package's own node_modules chain: the folder the package
  // finds it in (native/node_modules here, the extension's dist/node_modules in a .vsix).
  const nodeGypBuild = require.resolve('node-gyp-build/package.json', { paths: [packageDir] });
  fs.symlinkSync(path.dirname(path.dirname(nodeGypBuild)), path.join(dir, 'node_modules'));
  const platform = `${process.platform}-${process.arch}`;
  if (withPrebuild) fs.cpSync(path.join(packageDir, 'prebuilds', platform), path.join(dir, 'prebuilds', platform), { recursive: true });
  if (localBuild) {
    fs.mkdirSync(path.join(dir, 'build', 'Release'), { recursive: true });
    fs.copyFileSync(localBuild, path.join(dir, 'build', 'Release', 'zerocopy.node'));
  }
  return dir;
}

/** Writes `size` random bytes to a new file; returns its path and content. */
export function makeFile(dir: string, size: number, name = `file-${size}-${crypto.randomUUID()}.bin`): { path: string; content: Buffer } {
  const content = crypto.randomBytes(size);
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return { path: file, content };
}

/** Writes a large random file in chunks; returns its path and sha256. */
export function makeLargeFile(dir: string, size: number): { path: string; sha256: string } {
  const file = path.join(dir, `large-${size}.bin`);
  const fd = fs.openSync(file, 'w');
  const hash = crypto.createHash('sha256');
  const chunk = Buffer.allocUnsafe(4 * MiB);
  for (let written = 0; written < size; written += chunk.length) {
    const part = chunk.subarray(0, Math.min(chunk.length, size - written));
    crypto.randomFillSync(part);
    fs.writeSync(fd, part);
    hash.update(part);
  }
  fs.closeSync(fd);
  return { path: file, sha256: hash.digest('hex') };
}

export interface Received {
  bytes: number;
  sha256: string;
  content?: Buffer;
}

/** Reads a socket to its end, hashing what arrives (keeping it when `keep`). */
export function receiveAll(socket: net.Socket, keep = true): Promise<Received> {
  return new Promise((resolve, reject) => {
    const hash = crypto.createHash('sha256');
    const chunks: Buffer[] = [];
    let bytes = 0;
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
      if (keep) chunks.push(chunk);
    });
    socket.once('end', () => resolve({ bytes, sha256: hash.digest('hex'), content: keep ? Buffer.concat(chunks) : undefined }));
    socket.once('error', reject);
  });
}

export interface SocketPair {
  /** The side sendFile writes to (the server's accepted socket). */
  sender: net.Socket;
  /** The other end. */
  receiver: net.Socket;
  close(): void;
}

/**
 * A loopback pair whose receiving side does not read until `receiver.resume()`: the sender (the
 * connecting side) fills the socket buffers and blocks, as a slow or stalled peer makes it.
 */
export async function stalledSocketPair(): Promise<SocketPair> {
  const server = net.createServer({ pauseOnConnect: true });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const sender = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await new Promise((resolve) => sender.once('connect', resolve));
  const receiver = await accepted;
  server.close();
  return pairOf(sender, receiver);
}

/** A connected pair over loopback TCP (127.0.0.1) or, with `unixPath`, a Unix domain socket. */
export async function socketPair(unixPath?: string): Promise<SocketPair> {
  const server = net.createServer();
  await new Promise<void>((resolve) => (unixPath ? server.listen(unixPath, resolve) : server.listen(0, '127.0.0.1', resolve)));
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const address = server.address();
  const receiver = typeof address === 'string' ? net.connect(address) : net.connect((address as net.AddressInfo).port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => receiver.once('connect', resolve).once('error', reject));
  const sender = await accepted;
  server.close();
  return pairOf(sender, receiver);
}

function pairOf(sender: net.Socket, receiver: net.Socket): SocketPair {
  return { sender, receiver, close: () => (sender.destroy(), receiver.destroy(), undefined) };
}

export function openDescriptorCount(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

/**
 * The command that starts a Node for the children of these tests (the executable and the
 * arguments before the script): ZC_TEST_NODE as a JSON array when set (92.linux-arm64-suite sets
 * it to arm64 Node under qemu, which process.execPath alone cannot start without binfmt_misc),
 * else this very Node.
 */
export function testNode(): string[] {
  const configured = process.env.ZC_TEST_NODE;
  if (configured === undefined || configured === '') return [process.execPath];
  const command: unknown = JSON.parse(configured);
  if (!Array.isArray(command) || command.length === 0 || !command.every((part) => typeof part === 'string')) {
    throw new Error(`ZC_TEST_NODE must be a JSON array of strings (the Node command), not ${configured}`);
  }
  return command;
}

/**
 * Why this process cannot see resident memory, or undefined (everywhere but one place). Set
 * (ZC_TEST_UNDER_QEMU=1) only by 92.linux-arm64-suite, which runs these files in arm64 Node under
 * qemu-user: qemu emulates /proc/self/stat and /proc/self/smaps for its guest with no resident
 * memory at all (RSS 0, every "Rss: 0 kB"), so an assertion on residency would fail, or pass
 * without meaning anything. A test that asserts residency runs everything else and then skips
 * with this reason; 92 lists those tests.
 */
export function residentMemoryHidden(): string | undefined {
  return process.env.ZC_TEST_UNDER_QEMU === '1'
    ? 'qemu-user emulates /proc/self/stat and /proc/self/smaps with no resident memory (RSS 0, Rss: 0 kB)'
    : undefined;
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a compiled script of children/ (or one at an absolute path) in a fresh process of `runtime`
 * (a Node executable and the arguments before the script; by default testNode()'s). Its output goes through files, not
 * pipes: Windows Node under Wine cannot open a pipe as `process.stdout`.
 */
export function runChild(
  script: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
  runtime: string[] = [...testNode(), '--expose-gc'],
): Promise<ChildResult> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zerocopy-child-'));
  const files = { stdout: path.join(outDir, 'stdout'), stderr: path.join(outDir, 'stderr') };
  const stdout = fs.openSync(files.stdout, 'w');
  const stderr = fs.openSync(files.stderr, 'w');
  const read = () => ({ stdout: fs.readFileSync(files.stdout, 'utf8'), stderr: fs.readFileSync(files.stderr, 'utf8') });
  return new Promise<ChildResult>((resolve, reject) => {
    const [command, ...flags] = runtime;
    const child = spawn(command, [...flags, path.isAbsolute(script) ? script : path.join(__dirname, 'children', script), ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', stdout, stderr],
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child ${script} timed out; stderr: ${read().stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ...read() });
    });
  }).finally(() => {
    fs.closeSync(stdout);
    fs.closeSync(stderr);
    fs.rmSync(outDir, { recursive: true, force: true });
  });
}

/** Waits until `condition()` holds, polling on timers (not a fixed sleep), or fails after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
