/** What the behaviour test and the preload in each server child say to each other over IPC. */

/**
 * The `diagnostics_channel`s the `zerocopy` runtime publishes each call on (native/README.md),
 * spelled out so the preload does not load the runtime into the original servers; the test checks
 * them against the runtime's own exports.
 */
export const CHANNELS = { sendFile: 'zerocopy:sendFile', mapFile: 'zerocopy:mapFile' } as const;

export interface TransferReport {
  call: 'sendFile' | 'mapFile';
  /** sendfile, respondWithFD, stream, copy (sendFile); mmap, copy (mapFile); undefined if it failed before choosing. */
  method: string | undefined;
  /** socket, http, http2, writable (sendFile only). */
  targetKind?: string;
  bytes: number;
  failed: boolean;
}

export type ChildMessage =
  | { type: 'listening'; port: number }
  | { type: 'reports'; id: number; transfers: TransferReport[] };

/** Asks for the transfers reported since the last ask, once every request or connection under way has closed. */
export type TestMessage = { type: 'reports'; id: number };
