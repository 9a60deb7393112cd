// Admin endpoints, served only over TLS.
const https = require('https');
const fs = require('fs');
const path = require('path');
const { config } = require('./config');

const TLS_DIR = path.join(__dirname, '..', 'tls');
const tlsOptions = {
  key: fs.readFileSync(process.env.TLS_KEY || path.join(TLS_DIR, 'key.pem')),
  cert: fs.readFileSync(process.env.TLS_CERT || path.join(TLS_DIR, 'cert.pem')),
};

https.createServer(tlsOptions, (req, res) => {
  if (req.url === '/admin/report.csv') {
    // Whole file in memory on a TLS socket: read-then-send, and streaming is what helps here.
    fs.readFile(path.join(config.libraryDir, 'report.csv'), (err, csv) => {
      if (err) return res.writeHead(500).end();
      res.writeHead(200, { 'Content-Type': 'text/csv' });
      res.end(csv);
    });
    return;
  }
  if (req.url === '/admin/access.log') {
    // Already streams over TLS: nothing left to gain, not a finding.
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    fs.createReadStream(path.join(config.libraryDir, 'access.log')).pipe(res);
    return;
  }
  res.writeHead(404).end();
}).listen(Number(process.env.ADMIN_PORT || 8443));
