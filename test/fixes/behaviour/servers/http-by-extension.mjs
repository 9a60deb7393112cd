// Headers chosen per file type before the file is sent: caching for assets, none for pages.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';

const ROOT = process.env.ROOT ?? './public';
const POLICIES = {
  '.html': { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  '.png': { 'Content-Type': 'image/png', 'Cache-Control': 'public, max-age=86400' },
  '.bin': { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'public, max-age=600' },
};

async function handle(req, res) {
  const name = basename(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  const policy = POLICIES[extname(name)] ?? { 'Content-Type': 'application/octet-stream' };
  let contents;
  try {
    contents = await readFile(join(ROOT, name));
  } catch (error) {
    res.statusCode = error.code === 'ENOENT' ? 404 : 500;
    res.end(error.code === 'ENOENT' ? 'not found' : 'error');
    return;
  }
  for (const [header, value] of Object.entries(policy)) res.setHeader(header, value);
  res.end(contents);
}

createServer((req, res) => {
  handle(req, res).catch((error) => {
    console.error(error);
    res.destroy();
  });
}).listen(Number(process.env.PORT ?? 8080), process.env.HOST);
