// HTTPS with a promise chain on one line of logic: read, then send; catch answers 404.
const https = require('https');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || '/srv/secure';
const options = { key: fs.readFileSync(process.env.TLS_KEY), cert: fs.readFileSync(process.env.TLS_CERT) };

https
  .createServer(options, (req, res) => {
    const file = path.join(ROOT, path.basename(req.url));
    fs.promises.readFile(file).then((data) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(data);
    }, () => {
      res.writeHead(404);
      res.end();
    });
  })
  .listen(process.env.PORT || 8443, process.env.HOST);
