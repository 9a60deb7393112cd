// An ES module that still uses the callback API: import fs from 'node:fs'; fs.readFile(…, cb).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = process.env.ROOT ?? path.resolve('static');

http
  .createServer((req, res) => {
    const file = path.join(ROOT, path.basename(decodeURIComponent(req.url)));
    fs.readFile(file, (error, content) => {
      if (error) {
        res.writeHead(error.code === 'ENOENT' ? 404 : 500);
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-cache' });
      res.end(content);
    });
  })
  .listen(Number(process.env.PORT ?? 8080), process.env.HOST);
