/**
 * The native HTTP/1.1 load client the bundled `zerocopy` addon carries (its dist/http-load.js,
 * beside the runtime's dist/index.js), which the load client uses for timed HTTP/1.1 runs: found
 * the same way by the load process and by the orchestrator (which says in the report which
 * client measured). ZEROCOPY_BENCH_LOAD_CLIENT=node keeps Node's client (to compare the two).
 */
import { dirname, join } from 'node:path';
import type { Protocol, TransferResult } from './messages';

export interface NativeClient {
  httpLoadAvailable(): boolean;
  httpLoad(port: number, path: string, connections: number, transfersEach: number, timeoutMs: number): Promise<{ elapsedMs: number; transfers: TransferResult[] }>;
  abortHttpLoad(): void;
  closeHttpLoad(): boolean;
}

export function loadNativeClient(runtimePath: string | undefined, env: NodeJS.ProcessEnv = process.env): NativeClient | undefined {
  if (!runtimePath || env.ZEROCOPY_BENCH_LOAD_CLIENT === 'node') return undefined;
  try {
    const client = require(join(dirname(runtimePath), 'http-load.js')) as NativeClient;
    return client.httpLoadAvailable() ? client : undefined;
  } catch {
    return undefined;
  }
}

/** What measured the timed transfers, for the report's environment. */
export function loadClientDescription(protocol: Protocol, runtimePath: string | undefined): string {
  if (protocol === 'http2') return "Node's http2 client, one session";
  if (protocol === 'net') return "Node's net sockets, bodies read through a reused buffer";
  if (loadNativeClient(runtimePath)) return "the zerocopy addon's HTTP/1.1 client (keep-alive, bodies dropped with recv MSG_TRUNC on Linux); the verification pass hashes with Node's";
  const why = process.env.ZEROCOPY_BENCH_LOAD_CLIENT === 'node' ? 'ZEROCOPY_BENCH_LOAD_CLIENT=node' : "the zerocopy addon's client is not available";
  return `Node's raw keep-alive sockets (${why})`;
}
