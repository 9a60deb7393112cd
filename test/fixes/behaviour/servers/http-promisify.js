// util.promisify(fs.readFile), as code written before fs.promises does it.
const http = require('http');
const fs = require('fs');
const util = require('util');
const path = require('path');

const readFileAsync = util.promisify(fs.readFile);
const ROOT = process.env.ROOT || '/srv/www';

async function handler(req, res) {
  const file = path.join(ROOT, path.basename(req.url));
  let body;
  try {
    body = await readFileAsync(file);
  } catch (err) {
    res.writeHead(err.code === 'ENOENT' ? 404 : 500, { 'Content-Type': 'text/plain' });
    res.end(err.code);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}

http.createServer(handler).listen(process.env.PORT || 8080, process.env.HOST);
