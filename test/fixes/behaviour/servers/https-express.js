// express behind https.createServer: a callback read answered with writeHead and end.
const https = require('https');
const fs = require('fs');
const path = require('path');
const express = require('express');

const ROOT = process.env.ROOT || path.join(__dirname, 'public');
const app = express();

app.get('/:name', (req, res) => {
  fs.readFile(path.join(ROOT, path.basename(req.params.name)), (err, data) => {
    if (err) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('missing');
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    res.end(data);
  });
});

https.createServer({ key: fs.readFileSync(process.env.TLS_KEY), cert: fs.readFileSync(process.env.TLS_CERT) }, app).listen(process.env.PORT || 8443, process.env.HOST);
