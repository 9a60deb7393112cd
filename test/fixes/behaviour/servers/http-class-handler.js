// A small class-based static handler, the kind a framework-less service grows.
const http = require('http');
const fs = require('fs');
const path = require('path');

class StaticFiles {
  constructor(root, headers = {}) {
    this.root = root;
    this.headers = headers;
  }

  resolve(url) {
    return path.join(this.root, path.basename(decodeURIComponent(url)));
  }

  handle(req, res) {
    for (const [name, value] of Object.entries(this.headers)) res.setHeader(name, value);
    return fs.promises.readFile(this.resolve(req.url)).then(
      (data) => {
        res.statusCode = 200;
        res.end(data);
      },
      (err) => {
        res.statusCode = err.code === 'ENOENT' ? 404 : 500;
        res.end(http.STATUS_CODES[res.statusCode]);
      },
    );
  }
}

const files = new StaticFiles(process.env.ROOT || './public', { 'Cache-Control': 'public, max-age=300', 'X-Frame-Options': 'DENY' });
http.createServer((req, res) => files.handle(req, res)).listen(process.env.PORT || 8080, process.env.HOST);
