// Byte ranges answered by a FileHandle read loop: `bytes=a-b` and `bytes=a-` get a 206 with
// Content-Range, a start past the end a 416, no Range the whole file; each chunk read is cut at
// the range's last byte.
const http = require('http');
const { open } = require('fs/promises');
const path = require('path');

const DIR = process.env.ROOT || '.';
const CHUNK = 64 * 1024;

async function sendRange(req, res, file) {
  const handle = await open(file, 'r');
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    const size = stats.size;
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range || '');
    if (m && Number(m[1]) >= size) {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` });
      res.end();
      return;
    }
    const start = m ? Number(m[1]) : 0;
    const end = m && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    if (m) res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
    res.writeHead(m ? 206 : 200, { 'Content-Type': 'application/octet-stream', 'Content-Length': end - start + 1 });
    // A fresh buffer per chunk: res.write may still hold the previous one.
    let position = start;
    while (position <= end) {
      const buffer = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK, end - position + 1), position);
      if (bytesRead === 0) break;
      res.write(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
    res.end();
  } finally {
    await handle.close();
  }
}

http
  .createServer(async (req, res) => {
    try {
      await sendRange(req, res, path.join(DIR, path.basename(req.url)));
    } catch (err) {
      if (res.headersSent) return res.destroy();
      res.writeHead(err.code === 'ENOENT' ? 404 : 400);
      res.end(err.code);
    }
  })
  .listen(process.env.PORT || 7000, process.env.HOST);
