// A FileHandle read loop with the head built before the first read and no stat: a directory
// opens, then fails at the first read, after `writeHead`. Back-pressure waited on with `once`.
const http = require('http');
const fsp = require('fs/promises');
const { once } = require('events');
const path = require('path');

const ROOT = process.env.ROOT || '.';

http
  .createServer(async (req, res) => {
    try {
      const fh = await fsp.open(path.join(ROOT, path.basename(req.url)));
      try {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-cache' });
        for (;;) {
          const buf = Buffer.allocUnsafe(16 * 1024);
          const { bytesRead } = await fh.read(buf, 0, buf.length, null);
          if (bytesRead === 0) break;
          if (!res.write(buf.subarray(0, bytesRead))) await once(res, 'drain');
        }
        res.end();
      } finally {
        await fh.close();
      }
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.statusCode = err.code === 'ENOENT' ? 404 : 500;
      res.end(`failed: ${err.code}\n`);
    }
  })
  .listen(process.env.PORT || 7000, process.env.HOST);
