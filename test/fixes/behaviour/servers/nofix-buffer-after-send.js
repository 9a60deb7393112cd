// Counts the bytes it served from the Buffer after sending it: the Buffer outlives the send.
const http = require('http');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || 'public';
const served = { files: 0, bytes: 0 };

http
  .createServer((req, res) => {
    if (req.url === '/stats') return res.end(JSON.stringify(served));
    fs.readFile(path.join(ROOT, path.basename(req.url)), (err, data) => {
      if (err) {
        res.statusCode = 404;
        return res.end();
      }
      res.end(data);
      served.files += 1;
      served.bytes += data.length;
    });
  })
  .listen(process.env.PORT || 8080, process.env.HOST);
