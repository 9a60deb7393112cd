// A Node HTTP server for the HTTP benchmark, serving files from ROOT with one
// strategy. Prints "listening PORT" when ready.
//
//   node http-server.mjs STRATEGY ROOT
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { sendFile } = require('../dist/index.js');

const [strategy, root] = process.argv.slice(2);

function fail(res, error) {
  if (res.headersSent) return res.destroy();
  res.statusCode = error.code === 'ENOENT' ? 404 : 500;
  res.end();
}

function pipeFile(res, file) {
  const stream = fs.createReadStream(file);
  stream.once('error', (e) => fail(res, e));
  stream.pipe(res);
}

const handlers = {
  sendFile: (req, res, file) => sendFile(res, file).catch((error) => fail(res, error)),
  // With Content-Length from a stat, as static-file servers do.
  'createReadStream().pipe(res)': (req, res, file) =>
    fs.stat(file, (error, stats) => {
      if (error) return fail(res, error);
      res.setHeader('Content-Length', stats.size);
      pipeFile(res, file);
    }),
  // As most code writes it (examples/media-server among them): no stat, so the
  // body goes out chunked. wrk and the C client both parse chunked bodies.
  'createReadStream().pipe(res) (chunked)': (req, res, file) => pipeFile(res, file),
  'readFile + res.end': (req, res, file) =>
    fs.readFile(file, (error, body) => {
      if (error) return fail(res, error);
      res.end(body);
    }),
};

const handle = handlers[strategy];
if (!handle) throw new Error(`unknown strategy ${strategy}`);
const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => handle(req, res, path.join(root, path.basename(req.url ?? '/'))));
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
