// HTTP/2 compatibility API in an ES module: an async handler awaiting the read.
import http2 from 'node:http2';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

const root = process.env.ROOT ?? '/srv/h2';
const server = http2.createSecureServer({ key: readFileSync(process.env.TLS_KEY), cert: readFileSync(process.env.TLS_CERT) }, async (req, res) => {
  try {
    const data = await readFile(join(root, basename(req.url)));
    res.setHeader('content-type', 'application/octet-stream');
    res.end(data);
  } catch {
    res.statusCode = 404;
    res.end();
  }
});
server.listen(Number(process.env.PORT ?? 8443), process.env.HOST);
