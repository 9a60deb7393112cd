// A synchronous read loop in an http handler: the descriptor checked with fstat, the head built
// with writeHead, the file read with readSync at a counted position, the response ended, then the
// descriptor closed.
const http = require('http');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || '.';

http
  .createServer((req, res) => {
    const file = path.join(ROOT, path.basename(req.url));
    if (!fs.existsSync(file)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    const fd = fs.openSync(file);
    if (!fs.fstatSync(fd).isFile()) {
      fs.closeSync(fd);
      res.writeHead(403).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    let pos = 0;
    for (;;) {
      // A buffer per chunk: res.write may still hold the previous one.
      const chunk = Buffer.allocUnsafe(16384);
      const n = fs.readSync(fd, chunk, 0, 16384, pos);
      if (n === 0) break;
      res.write(chunk.subarray(0, n));
      pos += n;
    }
    res.end();
    fs.closeSync(fd);
  })
  .listen(process.env.PORT || 7000, process.env.HOST);
