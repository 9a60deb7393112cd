// stat first (404, directories, Content-Length), then stream.pipeline with a callback that logs.
const http = require('http');
const fs = require('fs');
const path = require('path');
const { pipeline } = require('stream');

const ROOT = process.env.ROOT || __dirname;

const server = http.createServer((req, res) => {
  const file = path.join(ROOT, path.normalize(decodeURIComponent(req.url)));
  fs.stat(file, (err, stats) => {
    if (err || !stats.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': stats.size,
      'Last-Modified': stats.mtime.toUTCString(),
    });
    pipeline(fs.createReadStream(file), res, (error) => {
      if (error) console.error('download of %s failed: %s', file, error.message);
    });
  });
});

server.listen(process.env.PORT || 8080, process.env.HOST);
