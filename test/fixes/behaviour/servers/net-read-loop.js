// TCP: the request line names a file, which is sent a chunk at a time from a FileHandle; an
// error answers on the socket (a directory opens, and fails at its first read).
const net = require('net');
const { open } = require('fs/promises');
const { basename, join } = require('path');

const ROOT = process.env.ROOT || '/srv/files';

net
  .createServer((socket) => {
    socket.once('data', async (line) => {
      const name = basename(line.toString('utf8').trim());
      try {
        const fh = await open(join(ROOT, name), 'r');
        try {
          const buf = Buffer.alloc(1 << 16);
          let pos = 0;
          while (true) {
            const { bytesRead } = await fh.read(buf, 0, 1 << 16, pos);
            if (!bytesRead) break;
            socket.write(Buffer.from(buf.subarray(0, bytesRead)));
            pos += bytesRead;
          }
        } finally {
          await fh.close();
        }
        socket.end();
      } catch (error) {
        socket.end(`ERR ${error.code}\n`);
      }
    });
  })
  .listen(Number(process.env.PORT || 9101), process.env.HOST);
