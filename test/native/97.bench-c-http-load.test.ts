// bench:runtime's C load client (native/bench/c/http-load.c), compiled and run against real
// servers on 127.0.0.1: it counts a response only when its body had the expected length, with a
// Content-Length or chunked, and counts a wrong length, a wrong status or extra bytes as an error.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';

interface Run {
  requests: number;
  bytes: number;
  seconds: number;
  errors: number;
}

const buildModule = pathToFileURL(path.join(path.dirname(require.resolve('zerocopy/package.json')), 'bench', 'lib', 'build-c.mjs')).href;
// A real dynamic import: TypeScript would turn `import()` into require(), which cannot load .mjs.
const load = new Function('url', 'return import(url)') as (url: string) => Promise<{ buildC(name: string): string }>;

const body = randomBytes(300_000);
let client = '';
let port = 0;
const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const url = req.url ?? '/';
  if (url === '/length') return res.end(body);
  if (url === '/missing') return res.writeHead(404).end();
  if (url === '/extra') {
    // Says 10 bytes, sends 12: the two extra bytes arrive after the end of the response.
    res.socket?.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789ab');
    return;
  }
  // Chunked, in odd-sized chunks spread over several writes, with a trailer.
  res.writeHead(200, { Trailer: 'X-Done' });
  let at = 0;
  const next = (): void => {
    if (at >= body.length) {
      res.addTrailers({ 'X-Done': 'yes' });
      res.end();
      return;
    }
    const end = Math.min(body.length, at + 1 + ((at * 7919) % 65_537));
    res.write(body.subarray(at, end));
    at = end;
    setImmediate(next);
  };
  next();
});

function run(urlPath: string, connections: number, expected: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(client, [String(port), urlPath, String(connections), '0.5', String(expected)], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout) as Run);
    });
  });
}

before(async () => {
  client = (await load(buildModule)).buildC('http-load');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

describe("bench:runtime's C load client", () => {
  test('counts Content-Length bodies of the expected length', async () => {
    const result = await run('/length', 2, body.length);
    assert.ok(result.requests > 0, JSON.stringify(result));
    assert.equal(result.errors, 0);
    assert.ok(result.bytes >= result.requests * body.length, JSON.stringify(result));
  });

  test('decodes chunked bodies (sizes, data, trailers) and counts the data only', async () => {
    const result = await run('/chunked', 2, body.length);
    assert.ok(result.requests > 0, JSON.stringify(result));
    assert.equal(result.errors, 0);
    assert.ok(result.bytes >= result.requests * body.length && result.bytes < (result.requests + 2) * body.length, JSON.stringify(result));
  });

  test('a body of another length is an error, chunked or not', async () => {
    for (const urlPath of ['/length', '/chunked']) {
      const result = await run(urlPath, 1, body.length - 1);
      assert.ok(result.requests > 0, urlPath);
      assert.equal(result.errors, result.requests, urlPath);
    }
  });

  test('a non-200 status is an error', async () => {
    const result = await run('/missing', 1, 0);
    assert.ok(result.requests > 0);
    assert.equal(result.errors, result.requests);
  });

  test('bytes after the end of a response are an error', async () => {
    const result = await run('/extra', 1, 10);
    assert.ok(result.requests > 0);
    assert.ok(result.errors > 0);
  });
});
