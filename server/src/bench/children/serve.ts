/**
 * The serving process, a child of its own (bundled as dist/bench-serve.js): it loads one
 * variant's harness module, puts it behind a real server on 127.0.0.1 — Node's http, net or
 * http2, or the workspace's own express, koa or fastify — and answers the orchestrator's IPC
 * questions: which file to send, how much CPU it used, its peak resident memory, and how the
 * `zerocopy` runtime carried the bytes (from the runtime's diagnostics channels).
 *
 *   node bench-serve.js HARNESS SERVER [FRAMEWORK_PATH]    (ZEROCOPY_BENCH_RUNTIME: the runtime's path)
 *
 * It exits when its parent goes away, so a crashed orchestrator leaves nothing running.
 */
import * as diagnostics from 'node:diagnostics_channel';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { pathToFileURL } from 'node:url';
import type { ServeMessage, ServeRequest } from './messages';
import type { ServerKind } from '../slice/servers';

const [harnessPath, serverKind, frameworkPath] = process.argv.slice(2) as [string, ServerKind, string | undefined];
const send = (message: ServeMessage): void => {
  process.send?.(message);
};

process.on('disconnect', () => process.exit(0));
// What a real server would crash on: reported, and the variant is wrong.
process.on('uncaughtException', (error) => {
  send({ type: 'error', message: `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}` });
});
process.on('unhandledRejection', (error) => {
  send({ type: 'error', message: `rejected with ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}` });
});

// How the runtime carried the bytes, counted per method (the channels exist once the runtime loads).
let methods: Record<string, number> = {};
const count = (message: unknown): void => {
  const method = (message as { method?: string; failed?: boolean }).method;
  if (method) methods[method] = (methods[method] ?? 0) + 1;
};
diagnostics.subscribe('zerocopy:sendFile', count);
diagnostics.subscribe('zerocopy:mapFile', (message) => {
  const method = (message as { method?: string }).method;
  if (method) methods[`mapFile ${method}`] = (methods[`mapFile ${method}`] ?? 0) + 1;
});

// Peak resident memory between two `usage` questions: sampled often, and after each response.
let peakRss = process.memoryUsage.rss();
const sample = (): void => {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
};
setInterval(sample, 5).unref();

type Entry = (...args: unknown[]) => unknown;

/** A real dynamic import (the harness is an ES module), which neither tsc's CommonJS output nor a bundler rewrites into require(). */
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

async function start(entry: Entry): Promise<number> {
  const call = (...args: unknown[]): unknown => {
    const result = entry(...args);
    if (result && typeof (result as Promise<unknown>).catch === 'function') {
      (result as Promise<unknown>).catch((error: unknown) => send({ type: 'error', message: `rejected with ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}` }));
    }
    return result;
  };
  switch (serverKind) {
    case 'http': {
      const server = http.createServer({ keepAliveTimeout: 120_000 }, (req, res) => {
        res.on('finish', sample);
        call(req, res);
      });
      return listen(server);
    }
    case 'express': {
      const express = require(frameworkPath!) as () => http.RequestListener & { use(h: unknown): void };
      const app = express();
      app.use((req: http.IncomingMessage, res: http.ServerResponse, next: unknown) => {
        res.on('finish', sample);
        return call(req, res, next);
      });
      return listen(http.createServer({ keepAliveTimeout: 120_000 }, app));
    }
    case 'koa': {
      const Koa = require(frameworkPath!) as new () => { use(h: unknown): void; callback(): http.RequestListener };
      const app = new Koa();
      app.use((ctx: { res: http.ServerResponse }, next: unknown) => {
        ctx.res.on('finish', sample);
        return call(ctx, next);
      });
      return listen(http.createServer({ keepAliveTimeout: 120_000 }, app.callback()));
    }
    case 'fastify': {
      const fastify = (require(frameworkPath!) as (o: object) => FastifyLike)({ keepAliveTimeout: 120_000 });
      fastify.get('/*', (request: unknown, reply: { raw: http.ServerResponse }) => {
        reply.raw.on('finish', sample);
        return call(request, reply);
      });
      await fastify.listen({ port: 0, host: '127.0.0.1' });
      return (fastify.server.address() as net.AddressInfo).port;
    }
    case 'net':
      return listen(
        net.createServer((socket) => {
          socket.on('close', sample);
          call(socket);
        }),
      );
    case 'http2': {
      const server = http2.createServer({ settings: { initialWindowSize: 1 << 24 } });
      server.on('stream', (stream, headers) => {
        stream.on('close', sample);
        call(stream, headers);
      });
      return listen(server);
    }
  }
}

interface FastifyLike {
  get(path: string, handler: unknown): void;
  listen(options: { port: number; host: string }): Promise<unknown>;
  server: net.Server;
}

async function main(): Promise<void> {
  const runtimePath = process.env.ZEROCOPY_BENCH_RUNTIME;
  (globalThis as { __zcRuntime?: unknown }).__zcRuntime = runtimePath ? require(runtimePath) : undefined;
  const harness = (await importModule(pathToFileURL(harnessPath).href)) as { setFile(path: string): void; entry: Entry };
  process.on('message', (request: ServeRequest) => {
    if (request.type === 'setFile') {
      harness.setFile(request.path);
      send({ type: 'fileSet' });
    } else if (request.type === 'usage') {
      sample();
      const usage = process.cpuUsage();
      send({ type: 'usage', cpuMicros: usage.user + usage.system, peakRssBytes: peakRss, methods });
      peakRss = process.memoryUsage.rss();
      methods = {};
    }
  });
  send({ type: 'ready', port: await start(harness.entry) });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: `could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` });
  process.exitCode = 1;
  process.disconnect?.();
});
