// express handler that bypasses res.send: writeHead + end(buffer), as code moved over from http does.
const express = require('express');
const fs = require('fs');
const path = require('path');

const app = express();
const ROOT = process.env.ROOT || 'public';

app.get('/raw/:name', function (req, res) {
  fs.readFile(path.join(ROOT, path.basename(req.params.name)), function (err, data) {
    if (err) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('missing');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    res.end(data);
  });
});

app.listen(process.env.PORT || 3000, process.env.HOST);
