// TCP: the request line names a file; its first 16 bytes (a header) are skipped and the next
// 100,000 sent, a chunk at a time, each read cut at the limit. A file shorter than its header
// sends nothing; an error answers on the socket (a directory opens, and fails at its first read).
import { createServer } from 'node:net';
import { open } from 'node:fs/promises';
import { basename, join } from 'node:path';

const ROOT = process.env.ROOT || '/srv/files';
const HEADER = 16;
const PAYLOAD = 100_000;

createServer((socket) => {
  socket.once('data', async (line) => {
    const name = basename(line.toString('utf8').trim());
    try {
      const fh = await open(join(ROOT, name));
      try {
        const buf = Buffer.alloc(1 << 14);
        const limit = HEADER + PAYLOAD;
        let offset = HEADER;
        while (offset < limit) {
          const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, limit - offset), offset);
          if (bytesRead === 0) break;
          socket.write(Buffer.from(buf.subarray(0, bytesRead)));
          offset += bytesRead;
        }
      } finally {
        await fh.close();
      }
      socket.end();
    } catch (error) {
      socket.end(`ERR ${error.code}\n`);
    }
  });
}).listen(Number(process.env.PORT || 9102), process.env.HOST);
