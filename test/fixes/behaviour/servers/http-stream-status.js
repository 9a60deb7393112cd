// Streams files with a 404/403/500 decided from the stream's error code.
const http = require('http');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || __dirname;
const STATUS_FOR = { ENOENT: 404, EACCES: 403, EISDIR: 403 };

http
  .createServer((req, res) => {
    const stream = fs.createReadStream(path.join(ROOT, path.basename(req.url)));
    stream.on('error', (err) => {
      const status = STATUS_FOR[err.code] || 500;
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(http.STATUS_CODES[status]);
    });
    res.setHeader('Content-Type', 'application/octet-stream');
    stream.pipe(res);
  })
  .listen(process.env.PORT || 8080, process.env.HOST);
