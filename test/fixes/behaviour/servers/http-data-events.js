// Forwards the stream by hand: every 'data' chunk written to the response, ended on 'end'.
const http = require('http');
const fs = require('fs');
const path = require('path');

const FILES = process.env.ROOT || path.join(__dirname, 'files');

http
  .createServer((req, res) => {
    const file = path.join(FILES, path.basename(req.url));
    const input = fs.createReadStream(file);
    input.once('open', () => res.writeHead(200, { 'Content-Type': 'application/octet-stream' }));
    input.on('data', (chunk) => res.write(chunk));
    input.on('end', () => res.end());
    input.on('error', (err) => {
      if (res.headersSent) return res.destroy(err);
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not here');
    });
  })
  .listen(process.env.PORT || 8080, process.env.HOST);
