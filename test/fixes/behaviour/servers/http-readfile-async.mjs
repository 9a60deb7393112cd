// An ES module with an async request handler: await readFile inside try/catch.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const root = process.env.ROOT ?? new URL('./public/', import.meta.url).pathname;
const types = new Map([
  ['.html', 'text/html'],
  ['.txt', 'text/plain; charset=utf-8'],
  ['.png', 'image/png'],
]);

const server = createServer(async (req, res) => {
  const { pathname } = new URL(req.url, `http://${req.headers.host}`);
  const file = join(root, normalize(decodeURIComponent(pathname)));
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types.get(extname(file)) ?? 'application/octet-stream' });
    res.end(body);
  } catch (error) {
    const status = error.code === 'ENOENT' ? 404 : error.code === 'EISDIR' ? 403 : 500;
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(`${status}\n`);
  }
});

server.listen(Number(process.env.PORT ?? 8000), process.env.HOST ?? '127.0.0.1');
