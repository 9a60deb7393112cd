// An ES module streaming files: createReadStream imported by name, 404 from the stream's error.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { basename, join } from 'node:path';

const root = process.env.ROOT ?? './files';

createServer((req, res) => {
  const source = createReadStream(join(root, basename(req.url)));
  source.on('error', () => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('404');
  });
  res.setHeader('content-type', 'application/octet-stream');
  source.pipe(res);
}).listen(Number(process.env.PORT ?? 8080), process.env.HOST);
