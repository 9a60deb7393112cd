// An HTTPS file server: the whole file read, then sent over TLS.
const https = require('https');
const fs = require('fs');
const path = require('path');

const options = { key: fs.readFileSync(process.env.TLS_KEY), cert: fs.readFileSync(process.env.TLS_CERT) };
const ROOT = process.env.ROOT || path.join(__dirname, 'public');

https
  .createServer(options, (req, res) => {
    fs.readFile(path.join(ROOT, path.basename(req.url)), (err, data) => {
      if (err) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        return res.end('not found');
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Strict-Transport-Security': 'max-age=63072000' });
      res.end(data);
    });
  })
  .listen(process.env.PORT || 8443, process.env.HOST);
