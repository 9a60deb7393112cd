// Streams large media with bigger chunks (highWaterMark 256 KiB) to cut per-chunk overhead.
const http = require('http');
const fs = require('fs');
const path = require('path');

const MEDIA = process.env.ROOT || '/srv/media';

const server = http.createServer(function (req, res) {
  const file = path.join(MEDIA, path.basename(req.url));
  const stream = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  stream.on('error', function () {
    res.statusCode = 404;
    res.end('not found');
  });
  res.setHeader('Content-Type', 'application/octet-stream');
  res.setHeader('Accept-Ranges', 'none');
  stream.pipe(res);
});

server.listen(process.env.PORT || 8080, process.env.HOST);
