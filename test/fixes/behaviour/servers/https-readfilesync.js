// HTTPS serving a report file read synchronously per request.
const https = require('https');
const fs = require('fs');
const path = require('path');

const REPORTS = process.env.ROOT || './reports';

const server = https.createServer({ key: fs.readFileSync(process.env.TLS_KEY), cert: fs.readFileSync(process.env.TLS_CERT) }, (req, res) => {
  const file = path.join(REPORTS, path.basename(req.url));
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.statusCode = 404;
    return res.end('no report');
  }
  const report = fs.readFileSync(file);
  res.setHeader('Content-Type', 'application/octet-stream');
  res.setHeader('Cache-Control', 'private');
  res.end(report);
});
server.listen(process.env.PORT || 8443, process.env.HOST);
