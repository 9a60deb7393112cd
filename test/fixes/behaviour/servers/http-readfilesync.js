// A dev server that reads synchronously: readFileSync in a try/catch, straight into the response.
const http = require('http');
const fs = require('fs');
const path = require('path');

const publicDir = process.env.ROOT || path.join(__dirname, 'public');

function contentType(file) {
  if (file.endsWith('.html')) return 'text/html';
  if (file.endsWith('.css')) return 'text/css';
  return 'application/octet-stream';
}

const app = http.createServer(function (req, res) {
  let file = path.join(publicDir, req.url === '/' ? 'index.html' : req.url.slice(1));
  let data;
  try {
    data = fs.readFileSync(file);
  } catch (e) {
    res.statusCode = 404;
    res.end('not found: ' + req.url);
    return;
  }
  res.setHeader('Content-Type', contentType(file));
  res.end(data);
});

app.listen(process.env.PORT || 5000, process.env.HOST);
