// TCP: a greeting line written first, then the requested file piped after it.
const net = require('net');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || '/srv/files';

net
  .createServer((socket) => {
    socket.once('data', (request) => {
      const file = path.join(ROOT, path.basename(request.toString().trim()));
      const stream = fs.createReadStream(file);
      stream.on('error', (err) => socket.end(`ERR ${err.code}\n`));
      stream.once('open', () => socket.write('OK\n'));
      stream.pipe(socket);
    });
  })
  .listen(process.env.PORT || 9100, process.env.HOST);
