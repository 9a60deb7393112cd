// Sets Content-Length from the Buffer it read, and a Last-Modified from a stat done first.
const http = require('http');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || 'assets';

http
  .createServer((req, res) => {
    const file = path.join(ROOT, path.basename(req.url));
    fs.stat(file, (statErr, stat) => {
      if (statErr || stat.isDirectory()) {
        res.writeHead(404);
        return res.end('no');
      }
      fs.readFile(file, (err, data) => {
        if (err) {
          res.writeHead(500);
          return res.end('read failed');
        }
        res.writeHead(200, {
          'Content-Type': 'application/octet-stream',
          'Content-Length': data.length,
          'Last-Modified': stat.mtime.toUTCString(),
        });
        res.end(data);
      });
    });
  })
  .listen(process.env.PORT || 8080, process.env.HOST);
