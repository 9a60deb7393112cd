// TCP with a synchronous read loop: the file checked first, then read a chunk at a time with
// readSync (the read in the loop's condition) and written to the socket, which is then ended.
const net = require('net');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || '/srv/files';

net
  .createServer((socket) => {
    socket.once('data', (line) => {
      const file = path.join(ROOT, path.basename(line.toString('utf8').trim()));
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
        socket.end('ERR not a file\n');
        return;
      }
      const fd = fs.openSync(file, 'r');
      const buf = Buffer.alloc(64 * 1024);
      let n;
      while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) {
        socket.write(Buffer.from(buf.subarray(0, n)));
      }
      fs.closeSync(fd);
      socket.end();
    });
  })
  .listen(Number(process.env.PORT || 9101), process.env.HOST);
