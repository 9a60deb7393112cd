// createReadStream(...).pipe(res), with the stream's error event answering 404 before any byte is sent.
const http = require('http');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || process.cwd();

http
  .createServer((req, res) => {
    const file = path.join(ROOT, path.basename(req.url));
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const stream = fs.createReadStream(file);
    stream.on('error', (err) => {
      res.statusCode = err.code === 'ENOENT' ? 404 : 500;
      res.setHeader('Content-Type', 'text/plain');
      res.end(res.statusCode === 404 ? 'no such file\n' : 'cannot read\n');
    });
    stream.pipe(res);
  })
  .listen(process.env.PORT || 8080, process.env.HOST);
