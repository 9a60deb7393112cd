// What each sendFile and mapFile call really did, published on
// node:diagnostics_channel so that a test, a benchmark or an APM can see the
// method a transfer used without changing the call. While nobody subscribes
// nothing is built or published: one `hasSubscribers` check per call.
import * as diagnostics from 'node:diagnostics_channel';
import type { FileInput } from './options';
import type { SendMethod } from './result';

export const SEND_FILE_CHANNEL = 'zerocopy:sendFile';
export const MAP_FILE_CHANNEL = 'zerocopy:mapFile';

// Held here: diagnostics_channel keeps channels weakly, and a subscriber
// looks them up by name.
export const sendFileChannel = diagnostics.channel(SEND_FILE_CHANNEL);
export const mapFileChannel = diagnostics.channel(MAP_FILE_CHANNEL);

/** What sendFile was given as a target, as it dispatched on it. */
export type TargetKind = 'socket' | 'http' | 'http2' | 'writable';

/** One message on `zerocopy:sendFile` per sendFile call that passed its argument checks, when it settles. */
export interface SendFileMessage {
  /** The object sendFile was given (the socket, response, stream or Writable). */
  target: object;
  targetKind: TargetKind;
  /** The file as given: a path, descriptor or FileHandle. */
  file: FileInput;
  /** What carried the bytes; undefined only when it failed before a method was chosen (the file could not be opened or checked). */
  method: SendMethod | undefined;
  /** Bytes of the file sent (0 for a response without a body); on failure, those known to have left before it. */
  bytes: number;
  failed: boolean;
  /** What sendFile rejected with. */
  error: unknown;
}

/** How mapFile/mapFileAsync produced the Buffer: a mapping, or a copy (no addon, Windows, an empty or size-0 file, external buffers forbidden). */
export type MapMethod = 'mmap' | 'copy';

/** One message on `zerocopy:mapFile` per mapFile or mapFileAsync call that passed its argument checks. */
export interface MapFileMessage {
  file: FileInput;
  /** undefined only when it failed before a Buffer was made. */
  method: MapMethod | undefined;
  /** The Buffer's length (0 on failure). */
  bytes: number;
  /** Whether it was mapFileAsync. */
  async: boolean;
  failed: boolean;
  error: unknown;
}

export function publishSend(message: SendFileMessage): void {
  sendFileChannel.publish(message);
}

export function publishMap(message: MapFileMessage): void {
  mapFileChannel.publish(message);
}
