// Hashes the file for a strong ETag and answers If-None-Match with 304: the bytes are read, then sent.
const http = require('http');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const ROOT = process.env.ROOT || path.join(__dirname, 'static');

http
  .createServer((req, res) => {
    const file = path.join(ROOT, path.basename(req.url));
    fs.readFile(file, (err, buf) => {
      if (err) {
        res.writeHead(404);
        res.end();
        return;
      }
      const etag = '"' + crypto.createHash('sha1').update(buf).digest('base64') + '"';
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { ETag: etag });
        res.end();
        return;
      }
      res.writeHead(200, { ETag: etag, 'Content-Type': 'application/octet-stream' });
      res.end(buf);
    });
  })
  .listen(process.env.PORT || 8080, process.env.HOST);
