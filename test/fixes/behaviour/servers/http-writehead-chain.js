// Chained writeHead(...).end(data) inside a promise chain, with a catch that answers 404.
const { createServer } = require('http');
const { readFile } = require('fs/promises');
const { join, basename } = require('path');

const base = process.env.ROOT || join(__dirname, 'public');

createServer((req, res) =>
  readFile(join(base, basename(req.url)))
    .then((data) => res.writeHead(200, { 'Content-Type': 'application/octet-stream', Vary: 'Accept-Encoding' }).end(data))
    .catch(() => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 Not Found')),
).listen(process.env.PORT || 8080, process.env.HOST);
