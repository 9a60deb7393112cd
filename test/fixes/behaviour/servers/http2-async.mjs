// HTTP/2 core API with async/await: the file read with fs/promises, answered on the stream.
import http2 from 'node:http2';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

const root = process.env.ROOT ?? '/srv/h2';
const server = http2.createSecureServer({ key: readFileSync(process.env.TLS_KEY), cert: readFileSync(process.env.TLS_CERT) });

server.on('stream', async (stream, headers) => {
  if (headers[':method'] !== 'GET') {
    stream.respond({ ':status': 405, allow: 'GET' }, { endStream: true });
    return;
  }
  let body;
  try {
    body = await readFile(join(root, basename(headers[':path'])));
  } catch (error) {
    stream.respond({ ':status': error.code === 'ENOENT' ? 404 : 500 }, { endStream: true });
    return;
  }
  stream.respond({ ':status': 200, 'content-type': 'application/octet-stream', 'x-origin': 'h2-files' });
  stream.end(body);
});
server.listen(Number(process.env.PORT ?? 8443), process.env.HOST);
