/**
 * What the benchmark's processes say to each other over their IPC channels: the orchestrator
 * (the CLI, or the CLI run by the language server) and its two children, the serving process
 * (the variant's code behind a real server) and the load client.
 */
import type { ServerKind } from '../slice/servers';

export type Protocol = 'http1' | 'http2' | 'net';

export function protocolOf(server: ServerKind): Protocol {
  return server === 'net' ? 'net' : server === 'http2' ? 'http2' : 'http1';
}

// Orchestrator -> serving process
export type ServeRequest =
  | { type: 'setFile'; path: string }
  /** CPU time so far; the peak RSS since the last `usage` (and a fresh peak from now). */
  | { type: 'usage' };

// Serving process -> orchestrator
export type ServeMessage =
  | { type: 'ready'; port: number }
  | { type: 'fileSet' }
  | { type: 'usage'; cpuMicros: number; peakRssBytes: number; methods: Record<string, number> }
  /** The variant's code threw, or rejected, outside any handler of its own: it is wrong. */
  | { type: 'error'; message: string };

// Orchestrator -> load client
export interface LoadRequest {
  type: 'run';
  protocol: Protocol;
  port: number;
  /** Connections (or HTTP/2 streams) at once. */
  concurrency: number;
  /** Transfers each connection makes, one after another. */
  transfersEach: number;
  /** Hash every body (SHA-256) and keep its first bytes: the verification pass. */
  verify: boolean;
  /** A transfer that has not finished after this long fails the run. */
  timeoutMs: number;
}

export interface TransferResult {
  ms: number;
  bytes: number;
  /** HTTP status; 0 for a plain socket. */
  status: number;
  sha256?: string;
  /** The body's first bytes, base64 (to find a byte range in the file). */
  head?: string;
}

// Load client -> orchestrator
export type LoadMessage =
  | { type: 'result'; elapsedMs: number; transfers: TransferResult[] }
  | { type: 'failed'; message: string };
