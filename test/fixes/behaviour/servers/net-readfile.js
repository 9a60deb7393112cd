// A line protocol over TCP: the client sends a file name, the server answers with its bytes and closes.
const net = require('net');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || '/srv/files';

const server = net.createServer((socket) => {
  socket.once('data', (line) => {
    const name = path.basename(line.toString('utf8').trim());
    fs.readFile(path.join(ROOT, name), (err, data) => {
      if (err) {
        socket.end(`ERR ${err.code}\n`);
        return;
      }
      socket.end(data);
    });
  });
});

server.listen(process.env.PORT || 9000, process.env.HOST);
