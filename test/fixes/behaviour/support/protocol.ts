/** What the behaviour test and the preload in each server child say to each other over IPC. */

/**
 * The `diagnostics_channel`s the `zerocopy` runtime publishes each call on (native/README.md),
 * spelled out so the preload does not load the runtime into the original servers; the test checks
 * them against the runtime's own exports.
 */
export const CHANNELS = { sendFile: 'zerocopy:sendFile', mapFile: 'zerocopy:mapFile' } as const;

/**
 * One way a file's bytes were read or sent while a request was answered:
 * - `sendFile:<method>` / `mapFile:<method>`: a call of the `zerocopy` runtime, from its channel
 *   (method: sendfile, respondWithFD, stream, copy; mmap, copy);
 * - `readFile`: the whole file read into memory by fs (readFile, readFileSync, promises.readFile);
 * - `createReadStream`: the file streamed by fs;
 * - `readChunks`: the file read a chunk at a time through a FileHandle's `read` or `readSync` on
 *   a descriptor (a read loop), observed when it is closed, with the bytes all its reads returned;
 * - `respondWithFile`, `respondWithFD`: an HTTP/2 stream answered from the file by Node itself.
 */
export interface Observation {
  what: string;
  /** Whether it completed (a read that returned data, a transfer that resolved). */
  ok: boolean;
  /** Bytes read or sent (-1 when not known). */
  bytes: number;
  /** The request it served: 1 for the first the server received (0: none, e.g. while starting). */
  request: number;
}

export type ChildMessage =
  /** `aliased`: the modules required under another name (ZC_MODULE_ALIASES), as `name=alias@version`. */
  | { type: 'listening'; port: number; aliased: string[] }
  | { type: 'reports'; id: number; observations: Observation[] };

/** Asks for what was observed since the last ask, once every request or connection under way has closed. */
export type TestMessage = { type: 'reports'; id: number };
