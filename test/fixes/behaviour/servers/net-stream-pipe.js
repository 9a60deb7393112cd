// TCP file service: the requested file piped to the socket; errors reported on the socket.
const net = require('net');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || process.cwd();

net
  .createServer((socket) => {
    socket.setEncoding('utf8');
    socket.once('data', (request) => {
      const file = path.join(ROOT, path.basename(request.trim()));
      const stream = fs.createReadStream(file);
      stream.on('error', (err) => socket.end(`ERR ${err.code}\n`));
      stream.pipe(socket);
    });
  })
  .listen(process.env.PORT || 9001, process.env.HOST);
