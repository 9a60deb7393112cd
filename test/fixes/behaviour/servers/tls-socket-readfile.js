// The same line protocol over TLS: the file read whole, then written to the TLS socket.
const tls = require('tls');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || '/srv/files';
const server = tls.createServer({ key: fs.readFileSync(process.env.TLS_KEY), cert: fs.readFileSync(process.env.TLS_CERT) }, (socket) => {
  socket.once('data', (line) => {
    fs.readFile(path.join(ROOT, path.basename(String(line).trim())), (err, data) => {
      if (err) return socket.end(`ERR ${err.code}\n`);
      socket.end(data);
    });
  });
});
server.listen(process.env.PORT || 9443, process.env.HOST);
