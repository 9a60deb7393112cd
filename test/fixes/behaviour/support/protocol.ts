/** What the behaviour test and the preload in each server child say to each other over IPC. */

/** The `diagnostics_channel` the `zerocopy` runtime publishes each transfer on. */
export const TRANSFER_CHANNEL = 'zerocopy:transfer';

export interface TransferReport {
  method: string;
  bytes: number;
}

export type ChildMessage =
  | { type: 'listening'; port: number }
  | { type: 'reports'; id: number; transfers: TransferReport[] };

export type TestMessage = { type: 'reports'; id: number };
