// HTTP/2 (h2c, no TLS, behind a proxy): a read stream piped into the HTTP/2 stream.
const http2 = require('http2');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || '/data';

const server = http2.createServer();
server.on('stream', (stream, headers) => {
  const file = path.join(ROOT, path.basename(headers[':path']));
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) {
      stream.respond({ ':status': 404 }, { endStream: true });
      return;
    }
    stream.respond({ ':status': 200, 'content-type': 'application/octet-stream', 'content-length': st.size });
    fs.createReadStream(file).pipe(stream);
  });
});
server.listen(process.env.PORT || 8080, process.env.HOST);
