// A FileHandle read loop: 64 KiB at a time, each chunk written to the response.
const http = require('http');
const { open } = require('fs/promises');
const path = require('path');

const DIR = process.env.ROOT || '.';
const CHUNK = 64 * 1024;

async function sendChunks(res, file) {
  const handle = await open(file, 'r');
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    const size = stats.size;
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': size });
    let position = 0;
    while (position < size) {
      // A fresh buffer per chunk: res.write may still hold the previous one.
      const buffer = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
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
      await sendChunks(res, path.join(DIR, path.basename(req.url)));
    } catch (err) {
      if (res.headersSent) return res.destroy();
      res.writeHead(err.code === 'ENOENT' ? 404 : 400);
      res.end(err.code);
    }
  })
  .listen(process.env.PORT || 7000, process.env.HOST);
