// A video server that answers byte ranges itself: 206 with Content-Range, 416 past the end.
const http = require('http');
const fs = require('fs');
const path = require('path');

const MEDIA = process.env.ROOT || '/srv/media';

function parseRange(header, size) {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header || '');
  if (!m) return null;
  let start = m[1] === '' ? size - Number(m[2]) : Number(m[1]);
  let end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return { start, end };
}

http
  .createServer((req, res) => {
    const file = path.join(MEDIA, path.basename(req.url));
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) {
        res.writeHead(404);
        return res.end();
      }
      res.setHeader('Accept-Ranges', 'bytes');
      res.setHeader('Content-Type', 'video/mp4');
      const range = parseRange(req.headers.range, st.size);
      if (range && range.start >= st.size) {
        res.writeHead(416, { 'Content-Range': `bytes */${st.size}` });
        return res.end();
      }
      if (range) {
        res.writeHead(206, {
          'Content-Range': `bytes ${range.start}-${range.end}/${st.size}`,
          'Content-Length': range.end - range.start + 1,
        });
        fs.createReadStream(file, { start: range.start, end: range.end }).pipe(res);
      } else {
        res.writeHead(200, { 'Content-Length': st.size });
        fs.createReadStream(file).pipe(res);
      }
    });
  })
  .listen(process.env.PORT || 8080, process.env.HOST);
