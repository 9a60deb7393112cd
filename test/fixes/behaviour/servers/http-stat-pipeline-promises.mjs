// async/await with stream/promises: stat for the error branch, then await pipeline(...).
import http from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';

const ROOT = process.env.ROOT ?? './public';

async function serve(req, res) {
  const file = path.join(ROOT, path.basename(new URL(req.url, 'http://h').pathname));
  let info;
  try {
    info = await stat(file);
  } catch {
    res.writeHead(404).end();
    return;
  }
  if (info.isDirectory()) {
    res.writeHead(301, { Location: req.url + '/' }).end();
    return;
  }
  res.writeHead(200, { 'Content-Length': info.size, 'Content-Type': 'application/octet-stream' });
  await pipeline(createReadStream(file), res);
}

http
  .createServer((req, res) => {
    serve(req, res).catch((err) => {
      console.error(err);
      res.destroy(err);
    });
  })
  .listen(Number(process.env.PORT ?? 4000), process.env.HOST);
