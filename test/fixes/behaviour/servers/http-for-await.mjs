// for await over a read stream, writing each chunk: modern syntax, the same copy.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join, basename } from 'node:path';

const dir = process.env.ROOT ?? 'public';

createServer(async (req, res) => {
  const file = join(dir, basename(req.url));
  try {
    await access(file);
    if ((await stat(file)).isDirectory()) throw new Error('directory');
  } catch {
    res.statusCode = 404;
    res.end('Not Found');
    return;
  }
  res.setHeader('Content-Type', 'application/octet-stream');
  for await (const chunk of createReadStream(file)) {
    res.write(chunk);
  }
  res.end();
}).listen(Number(process.env.PORT ?? 8080), process.env.HOST);
