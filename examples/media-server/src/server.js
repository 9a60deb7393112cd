// The public front of the media server: plain HTTP.
const http = require('http');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { config } = require('./config');
const { openMedia, mediaType } = require('./lib/media-store');
const { renderPage } = require('./lib/templates');

// Read once at startup, served from memory afterwards: not a finding.
const ROBOTS = fs.readFileSync(path.join(config.publicDir, 'robots.txt'));

function sendFavicon(res) {
  // Whole file in memory, sent unchanged: read-then-send.
  fs.readFile(path.join(config.publicDir, 'favicon.ico'), (err, icon) => {
    if (err) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'image/x-icon', 'Cache-Control': 'max-age=86400' });
    res.end(icon);
  });
}

function sendCatalogCompressed(res) {
  // Compressed on the way out: not a finding.
  const json = fs.readFileSync(path.join(config.libraryDir, 'catalog.json'));
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
  res.end(zlib.gzipSync(json));
}

const server = http.createServer((req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  if (pathname === '/robots.txt') return res.end(ROBOTS);
  if (pathname === '/favicon.ico') return sendFavicon(res);
  if (pathname === '/catalog.json') return sendCatalogCompressed(res);
  if (pathname === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    return res.end(renderPage('home', { title: config.title }));
  }
  if (pathname.startsWith('/media/')) {
    const name = path.basename(pathname);
    res.writeHead(200, { 'Content-Type': mediaType(name) });
    // The stream opened in lib/media-store.js is piped here: stream-to-socket.
    return openMedia(name).pipe(res);
  }
  res.writeHead(404).end();
});

server.listen(config.port, () => console.log(`media server on http://localhost:${config.port}`));
