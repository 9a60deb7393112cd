// Reads synchronously into a variable in a try block, then sends it: a CLI-style dev server.
const http = require('http');
const fs = require('fs');
const path = require('path');

const root = process.env.ROOT || process.cwd();

http
  .createServer((req, res) => {
    const file = path.join(root, path.basename(req.url));
    let data;
    try {
      data = fs.readFileSync(file);
    } catch (error) {
      res.writeHead(error.code === 'ENOENT' ? 404 : 500, { 'Content-Type': 'text/plain' });
      res.end(String(error.code));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'X-Server': 'dev' });
    res.end(data);
  })
  .listen(process.env.PORT || 8080, process.env.HOST);
