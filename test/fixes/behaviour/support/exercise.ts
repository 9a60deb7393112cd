/**
 * One run of one server program: start it, send it the requests of its protocol one at a time,
 * and after each answer ask it how the file went out (the preload's observations).
 */
import { describe, http2Client, httpClient, socketClient, type Client, type HttpRequest, type Outcome, type SocketRequest } from './clients';
import { PREVIOUS_ETAG } from './requests';
import type { Observation } from './protocol';
import { runServer, type RunAs } from './runServer';

export type Protocol = 'http' | 'https' | 'h2' | 'h2c' | 'net' | 'tls';

export type Requests = { protocol: 'http' | 'https' | 'h2' | 'h2c'; requests: readonly HttpRequest[] } | { protocol: 'net' | 'tls'; requests: readonly SocketRequest[] };

export interface Run {
  outcomes: Outcome[];
  /** What the child observed while answering each request (same index as `outcomes`). */
  observed: Observation[][];
  /** What the server printed. */
  output: string;
  /** Set when the server exited by itself during the run. */
  crashed?: string;
  /**
   * The request it exited on (an index of `outcomes`): the first after whose answer it could no
   * longer say what it observed. Unset when it exited after the last one reported, or never.
   */
  crashedAt?: number;
  /** The modules it required under an alias (protocol.ts). */
  aliased: string[];
}

function clientFor(protocol: Protocol, port: number, ca: Buffer): Client<HttpRequest> | Client<SocketRequest> {
  switch (protocol) {
    case 'http':
      return httpClient(port);
    case 'https':
      return httpClient(port, ca);
    case 'h2':
      return http2Client(port, ca);
    case 'h2c':
      return http2Client(port);
    case 'net':
      return socketClient(port);
    case 'tls':
      return socketClient(port, ca);
  }
}

/**
 * An HTTP request whose headers ask for the ETag of the answer before it gets that server's own
 * (each run its own); its label stays as written, so both runs name it alike.
 */
function withPreviousETag<R extends HttpRequest | SocketRequest>(request: R, previous: Outcome | undefined): R {
  if (!('path' in request) || !request.headers || !Object.values(request.headers).includes(PREVIOUS_ETAG)) return request;
  const etag = previous?.headers?.etag ?? '';
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, v === PREVIOUS_ETAG ? etag : v]));
  return { ...request, headers, label: describe(request) };
}

export async function exercise(file: string, env: Record<string, string>, what: Requests, ca: Buffer, as?: RunAs): Promise<Run> {
  const server = await runServer(file, env, as);
  const outcomes: Outcome[] = [];
  const observed: Observation[][] = [];
  let crashed: string | undefined;
  let crashedAt: number | undefined;
  const client = clientFor(what.protocol, server.port, ca) as Client<HttpRequest | SocketRequest>;
  try {
    const all: Observation[] = [];
    for (const [i, request] of what.requests.entries()) {
      outcomes.push(await client.send(withPreviousETag(request, outcomes[outcomes.length - 1])));
      if (crashedAt !== undefined) continue;
      const seen = await server.observations().catch(() => undefined);
      if (seen) {
        all.push(...seen);
      } else {
        // It cannot answer: it exited on this request (or is exiting).
        crashedAt = i;
        crashed = await server.whenExited();
      }
    }
    // The i-th request the client sent is the server's request i + 1.
    what.requests.forEach((_, i) => observed.push(all.filter((o) => o.request === i + 1)));
  } finally {
    await client.close();
    crashed ??= server.exited();
    await server.stop();
  }
  return { outcomes, observed, output: server.output(), aliased: server.aliased, ...(crashed ? { crashed } : {}), ...(crashedAt === undefined ? {} : { crashedAt }) };
}
