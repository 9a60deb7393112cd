// Reads the first chunk before deciding the status: a short file is refused, so the error branch
// depends on what a partial read returned.
const http = require('http');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || 'public';

http
  .createServer((req, res) => {
    const stream = fs.createReadStream(path.join(ROOT, path.basename(req.url)), { highWaterMark: 16 * 1024 });
    let first = true;
    stream.on('data', (chunk) => {
      if (first && chunk.length < 16) {
        stream.destroy();
        res.statusCode = 422;
        return res.end('too short');
      }
      first = false;
      res.write(chunk);
    });
    stream.on('end', () => res.end());
    stream.on('error', () => {
      res.statusCode = 404;
      res.end();
    });
  })
  .listen(process.env.PORT || 8080, process.env.HOST);
