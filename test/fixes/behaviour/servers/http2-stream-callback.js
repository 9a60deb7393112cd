// HTTP/2 core API, GET only: a callback read answered with respond() and end(data).
const http2 = require('http2');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || '/srv/h2';
const server = http2.createSecureServer({ key: fs.readFileSync(process.env.TLS_KEY), cert: fs.readFileSync(process.env.TLS_CERT) });

server.on('stream', (stream, headers) => {
  if (headers[':method'] !== 'GET') {
    stream.respond({ ':status': 405 }, { endStream: true });
    return;
  }
  fs.readFile(path.join(ROOT, path.basename(headers[':path'])), (err, data) => {
    if (err) {
      stream.respond({ ':status': 404 }, { endStream: true });
      return;
    }
    stream.respond({ ':status': 200, 'content-type': 'application/octet-stream' });
    stream.end(data);
  });
});
server.listen(process.env.PORT || 8443, process.env.HOST);
