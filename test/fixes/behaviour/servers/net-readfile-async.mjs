// TCP in an ES module: the request line read, the file awaited, the socket ended with it.
import net from 'node:net';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

const ROOT = process.env.ROOT ?? '/srv/files';

const server = net.createServer((socket) => {
  socket.once('data', async (line) => {
    const name = basename(line.toString('utf8').trim());
    let data;
    try {
      data = await readFile(join(ROOT, name));
    } catch (error) {
      socket.end(`ERR ${error.code}\n`);
      return;
    }
    socket.end(data);
  });
});

server.listen(Number(process.env.PORT ?? 9101), process.env.HOST);
