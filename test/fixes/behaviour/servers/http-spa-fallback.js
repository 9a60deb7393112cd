// A single-page-app host: a static file if it exists, otherwise the app's index.html (client routing).
const http = require('http');
const fs = require('fs');
const path = require('path');

const DIST = process.env.ROOT || path.join(__dirname, 'dist');
const INDEX = path.join(DIST, 'index.html');

function sendIndex(res) {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  fs.createReadStream(INDEX).pipe(res);
}

http
  .createServer((req, res) => {
    const asset = path.join(DIST, path.basename(new URL(req.url, 'http://spa').pathname));
    fs.readFile(asset, (err, body) => {
      if (err) {
        // Unknown paths belong to the client-side router.
        return sendIndex(res);
      }
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.end(body);
    });
  })
  .listen(process.env.PORT || 8080, process.env.HOST);
