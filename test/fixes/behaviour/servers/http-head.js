// Answers HEAD itself (headers only) and GET with a stream; only GET and HEAD are allowed.
const http = require('http');
const fs = require('fs');
const path = require('path');

const root = process.env.ROOT || path.join(__dirname, 'www');

const server = http.createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' });
    return res.end();
  }
  const target = path.join(root, path.basename(req.url));
  fs.stat(target, (err, stat) => {
    if (err) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end(req.method === 'HEAD' ? undefined : 'missing');
    }
    if (stat.isDirectory()) {
      res.writeHead(403, { 'Content-Type': 'text/plain' });
      return res.end(req.method === 'HEAD' ? undefined : 'listing denied');
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': stat.size, ETag: `"${stat.size}-${stat.mtimeMs}"` });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(target).pipe(res);
  });
});

server.keepAliveTimeout = 10_000;
server.listen(process.env.PORT || 8080, process.env.HOST);
