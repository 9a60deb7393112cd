// A tiny router: a switch on the path prefix, each branch its own handler; files under /files/.
const http = require('http');
const fs = require('fs');
const path = require('path');

const FILES = process.env.ROOT || './files';

function health(res) {
  res.setHeader('Content-Type', 'application/json');
  res.end('{"ok":true}');
}

function file(req, res) {
  const name = path.basename(req.url);
  fs.readFile(path.join(FILES, name), function (err, data) {
    if (err) {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ error: 'not found', name: name }));
      return;
    }
    res.setHeader('Content-Type', 'application/octet-stream');
    res.end(data);
  });
}

http
  .createServer(function (req, res) {
    switch (req.url.split('/')[1]) {
      case 'health':
        return health(res);
      case 'files':
        return file(req, res);
      default:
        res.statusCode = 404;
        res.end();
    }
  })
  .listen(process.env.PORT || 8080, process.env.HOST);
