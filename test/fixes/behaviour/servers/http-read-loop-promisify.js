// A read loop over util.promisify(fs.read) on a descriptor from a promisified fs.open; the
// descriptor is closed in finally, errors answered by the request handler's catch.
const http = require('http');
const fs = require('fs');
const path = require('path');
const { promisify } = require('util');

const DIR = process.env.ROOT || '.';
const openFd = promisify(fs.open);
const readFd = promisify(fs.read);
const closeFd = promisify(fs.close);

http
  .createServer(async (req, res) => {
    try {
      const fd = await openFd(path.join(DIR, path.basename(req.url)), 'r');
      try {
        res.setHeader('Content-Type', 'application/octet-stream');
        let pos = 0;
        for (;;) {
          const buf = Buffer.alloc(32 * 1024);
          const { bytesRead } = await readFd(fd, buf, 0, buf.length, pos);
          if (bytesRead === 0) break;
          res.write(buf.subarray(0, bytesRead));
          pos += bytesRead;
        }
        res.end();
      } finally {
        await closeFd(fd);
      }
    } catch (err) {
      if (res.headersSent) return res.destroy();
      res.writeHead(err.code === 'ENOENT' ? 404 : 500, { 'Content-Type': 'text/plain' });
      res.end(err.code);
    }
  })
  .listen(process.env.PORT || 7000, process.env.HOST);
