// Promise chains over fs.promises: the download endpoint of a small intranet tool.
const http = require('http');
const fsp = require('fs').promises;
const path = require('path');

const ROOT = process.env.ROOT || path.resolve('files');

function notFound(res) {
  res.statusCode = 404;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ error: 'not found' }));
}

http
  .createServer((req, res) => {
    const name = path.basename(decodeURIComponent(new URL(req.url, 'http://localhost').pathname));
    res.setHeader('X-Served-By', 'intranet-files');
    res.setHeader('Cache-Control', 'no-cache');
    fsp
      .readFile(path.join(ROOT, name))
      .then((contents) => {
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
        res.end(contents);
      })
      .catch((err) => {
        if (err.code === 'ENOENT' || err.code === 'EISDIR') return notFound(res);
        res.statusCode = 500;
        res.end();
      });
  })
  .listen(Number(process.env.PORT || 3000), process.env.HOST);
