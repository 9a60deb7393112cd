// Routes call a helper that reads the file and writes it; the helper sets the type it is given.
const http = require('http');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || __dirname;

function sendStatic(res, file, type) {
  fs.readFile(file, function (err, content) {
    if (err) {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<h1>404</h1>');
    } else {
      res.writeHead(200, { 'Content-Type': type });
      res.end(content, 'binary');
    }
  });
}

const routes = {
  '/': () => ['index.html', 'text/html'],
  '/logo': () => ['image.png', 'image/png'],
};

http
  .createServer((req, res) => {
    const route = routes[req.url];
    if (route) {
      const [name, type] = route();
      return sendStatic(res, path.join(ROOT, name), type);
    }
    sendStatic(res, path.join(ROOT, path.basename(req.url)), 'application/octet-stream');
  })
  .listen(process.env.PORT || 8080, process.env.HOST);
