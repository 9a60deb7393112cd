// A downloads endpoint: Content-Disposition says "save as", set before the file is read.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';

const ROOT = process.env.ROOT ?? '/srv/downloads';

const server = http.createServer(async (req, res) => {
  const name = path.basename(req.url);
  res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
  res.setHeader('X-Download-Options', 'noopen');
  try {
    const file = await fs.readFile(path.join(ROOT, name));
    res.setHeader('Content-Type', 'application/octet-stream');
    res.end(file);
  } catch (err) {
    res.removeHeader('Content-Disposition');
    res.writeHead(err.code === 'ENOENT' ? 404 : 500, { 'Content-Type': 'text/plain' });
    res.end(err.code === 'ENOENT' ? 'No such download\n' : 'Download failed\n');
  }
});

server.listen(Number(process.env.PORT ?? 8080), process.env.HOST);
