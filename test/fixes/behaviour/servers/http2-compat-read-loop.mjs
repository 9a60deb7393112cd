// HTTP/2 compatibility API: a FileHandle read loop writing each chunk to the response, the head
// built before the first read; a directory opens and fails at its first read.
import http2 from 'node:http2';
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, join } from 'node:path';

const root = process.env.ROOT ?? '/srv/h2';
const server = http2.createSecureServer({ key: readFileSync(process.env.TLS_KEY), cert: readFileSync(process.env.TLS_CERT) }, async (req, res) => {
  try {
    const fh = await open(join(root, basename(req.url)), 'r');
    try {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const buf = Buffer.alloc(32 * 1024);
      let pos = 0;
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) break;
        res.write(Buffer.from(buf.subarray(0, bytesRead)));
        pos += bytesRead;
      }
      res.end();
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (res.headersSent) return res.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    res.statusCode = err.code === 'ENOENT' ? 404 : 500;
    res.end();
  }
});
server.listen(Number(process.env.PORT ?? 8443), process.env.HOST);
