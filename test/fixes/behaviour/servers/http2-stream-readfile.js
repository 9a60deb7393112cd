// HTTP/2 core API: stream.respond(...) then stream.end(data) after reading the whole file.
const http2 = require('http2');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || path.join(__dirname, 'public');
const server = http2.createSecureServer({ key: fs.readFileSync(process.env.TLS_KEY), cert: fs.readFileSync(process.env.TLS_CERT) });

server.on('stream', (stream, headers) => {
  const file = path.join(ROOT, path.basename(headers[':path']));
  fs.readFile(file, (err, data) => {
    if (err) {
      stream.respond({ ':status': 404, 'content-type': 'text/plain' });
      if (headers[':method'] !== 'HEAD') stream.end('not found');
      return;
    }
    stream.respond({ ':status': 200, 'content-type': 'application/octet-stream', 'content-length': data.length });
    // A HEAD stream is ended by respond(): no body to write.
    if (headers[':method'] !== 'HEAD') stream.end(data);
  });
});

server.listen(process.env.PORT || 8443, process.env.HOST);
