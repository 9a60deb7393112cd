// Finds and loads the native addon, in the order bundlers and packagers survive:
//   1. ZEROCOPY_BINDING: an explicit path to a .node file, or "none" to disable;
//   2. prebuilds/<platform>-<arch>/ shipped with the package (prebuildify);
//   3. a local build (build/Release, build/Debug) made by node-gyp at install.
// When nothing loads, the package still works: sendFile streams and mapFile
// copies, and `available` says why.
import * as path from 'node:path';

/** Status codes of a native Transfer; errors are negative errno values. */
export const TransferStatus = { done: 0, pending: 1, endOfFile: 2 } as const;
/** What openCached returns for a path that is neither a regular file nor a directory. */
export const NOT_REGULAR_FILE = -4097;
/** What trySend returns when the file ended before any byte was sent. */
export const TRY_SEND_END_OF_FILE = -4096;
/** Outcomes of mapFileAsync besides 0 (mapped), -errno and NOT_REGULAR_FILE. */
export const MapStatus = { empty: 1, noExternalBuffers: 2, tooLarge: -4098 } as const;

export interface NativeTransfer {
  /** Sends one bounded slice now; returns a TransferStatus or -errno. */
  pump(): number;
  /** Stops a pending transfer; its callback is then never called. Returns bytes sent. */
  cancel(): number;
  readonly bytes: number;
}

export interface NativeBinding {
  /** Absent where the platform has no usable sendfile (Windows). */
  Transfer?: new (
    socketFd: number,
    fileFd: number,
    offset: number,
    length: number,
    sliceBytes: number,
    onSettled: (status: number, bytes: number) => void,
  ) => NativeTransfer;
  /**
   * One synchronous slice, after `head` (a latin1 string, written first; the
   * file only follows once all of it went out): bytes sent, head included
   * (>= 0), or, when nothing was sent, -errno or TRY_SEND_END_OF_FILE.
   */
  trySend?(socketFd: number, fileFd: number, offset: number, length: number, budget: number, head?: string): number;
  /**
   * A descriptor of a regular file whose path resolves from the dentry cache
   * (Linux openat2 RESOLVE_CACHED), its size stored in `size[0]`; -EISDIR,
   * NOT_REGULAR_FILE, or -errno (-EAGAIN: not cached; -ENOSYS: this kernel cannot). Linux only.
   */
  openCached?(path: string, size: Float64Array): number;
  /** Reads into `buffer` from `position` only what the page cache holds (preadv2 RWF_NOWAIT); returns the bytes read. Linux only. */
  readCached?(fd: number, buffer: Buffer, position: number): number;
  /** Size of a regular file, or undefined (fstat failed or not a regular file). Absent on Windows. */
  regularFileSize?(fd: number): number | undefined;
  /** A Buffer over a private mapping, -errno, or undefined when external buffers are forbidden. */
  mapFile(fd: number, length: number, populate: boolean): Buffer | number | undefined;
  /**
   * In the thread pool: opens `path` (its bytes; otherwise `fd` is used) without
   * blocking on a FIFO, checks it is a regular file of at most `maxLength`
   * bytes, maps it and, with `populate`, populates its pages. Then `done(0,
   * buffer)`, `done(MapStatus.empty)` (size 0), `done(MapStatus.noExternalBuffers)`,
   * or on failure `done(-errno | NOT_REGULAR_FILE, syscall)` / `done(MapStatus.tooLarge, size)`.
   * Absent on Windows.
   */
  mapFileAsync?(path: Buffer | undefined, fd: number, populate: boolean, maxLength: number, done: (status: number, detail?: Buffer | string | number) => void): void;
  /** Puts the SIGBUS guard back on top of a handler installed after it (chaining to it); whether it is in place. */
  ensureSigbusGuard?(): boolean;
  recoveredPages(): number;
  sigbusGuard: boolean;
  /** `zerocopy bench`'s load client (lib/http-load.ts), not the runtime's API. Absent on Windows. */
  httpLoad?(port: number, path: string, connections: number, transfersEach: number, timeoutMs: number, done: (error: string | undefined, result?: HttpLoadResult) => void): void;
  httpLoadAbort?(): void;
  httpLoadClose?(): boolean;
}

/** What a native load run answers: per transfer (in the order they finished) its time, body bytes and status. */
export interface HttpLoadResult {
  elapsedMs: number;
  ms: Float64Array;
  bytes: Float64Array;
  status: Int32Array;
}

interface NodeGypBuild {
  resolve(dir: string): string;
  parseTuple(name: string): { name: string; platforms: string; architectures: string[] } | undefined;
  matchTuple(platform: string, arch: string): (tuple: unknown) => boolean;
  compareTuples(a: unknown, b: unknown): number;
  parseTags(file: string): { file: string } | undefined;
  matchTags(runtime: string, abi: string): (tags: unknown) => boolean;
  compareTags(runtime: string): (a: unknown, b: unknown) => number;
}

export interface LoadResult {
  binding?: NativeBinding;
  /** The .node file that was loaded. */
  path?: string;
  /** Why nothing was loaded. */
  reason?: string;
}

const packageRoot = path.join(__dirname, '..');

function readDir(dir: string): string[] {
  try {
    return require('node:fs').readdirSync(dir) as string[];
  } catch {
    return [];
  }
}

/** The best prebuild for this process in prebuilds/, using node-gyp-build's own matching rules. */
function findPrebuild(gyp: NodeGypBuild, root: string): string | undefined {
  const runtime = process.versions.electron ? 'electron' : 'node';
  const tuple = readDir(path.join(root, 'prebuilds'))
    .map((name) => gyp.parseTuple(name))
    .filter(gyp.matchTuple(process.platform, process.arch))
    .sort(gyp.compareTuples)[0] as { name: string } | undefined;
  if (!tuple) return undefined;
  const dir = path.join(root, 'prebuilds', tuple.name);
  const winner = readDir(dir)
    .map((file) => gyp.parseTags(file))
    .filter(gyp.matchTags(runtime, process.versions.modules))
    .sort(gyp.compareTags(runtime))[0] as { file: string } | undefined;
  return winner ? path.join(dir, winner.file) : undefined;
}

function loadFrom(file: string): LoadResult {
  try {
    return { binding: require(file) as NativeBinding, path: file };
  } catch (error) {
    return { reason: `could not load ${file}: ${(error as Error).message}` };
  }
}

export function loadBinding(env: NodeJS.ProcessEnv = process.env): LoadResult {
  const override = env.ZEROCOPY_BINDING;
  if (override === 'none') return { reason: 'disabled by ZEROCOPY_BINDING=none' };
  if (override) return loadFrom(path.resolve(override));
  let gyp: NodeGypBuild;
  try {
    gyp = require('node-gyp-build') as NodeGypBuild;
  } catch (error) {
    return { reason: `node-gyp-build is missing: ${(error as Error).message}` };
  }
  const prebuild = findPrebuild(gyp, packageRoot);
  if (prebuild) {
    const loaded = loadFrom(prebuild);
    if (loaded.binding) return loaded;
  }
  let local: string;
  try {
    local = gyp.resolve(packageRoot);
  } catch (error) {
    return { reason: (error as Error).message.trim() };
  }
  return loadFrom(local);
}
