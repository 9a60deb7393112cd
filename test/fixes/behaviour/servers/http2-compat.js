// HTTP/2 through the compatibility API (req, res), as code ported from http looks.
const http2 = require('http2');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || '/srv/www';

const server = http2.createSecureServer({ key: fs.readFileSync(process.env.TLS_KEY), cert: fs.readFileSync(process.env.TLS_CERT) }, (req, res) => {
  fs.promises
    .readFile(path.join(ROOT, path.basename(req.url)))
    .then((data) => {
      res.setHeader('content-type', 'application/octet-stream');
      res.setHeader('cache-control', 'max-age=60');
      res.end(data);
    })
    .catch(() => {
      res.statusCode = 404;
      res.end();
    });
});
server.listen(process.env.PORT || 8443, process.env.HOST);
