// HTTPS with an async handler: await readFile, errors mapped to status codes.
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const tls = { key: readFileSync(process.env.TLS_KEY), cert: readFileSync(process.env.TLS_CERT) };
const ROOT = process.env.ROOT ?? '/srv/secure';

const server = https.createServer(tls, async (req, res) => {
  try {
    const data = await readFile(path.join(ROOT, path.basename(req.url)));
    res.setHeader('Content-Type', 'application/octet-stream');
    res.end(data);
  } catch (err) {
    res.statusCode = err.code === 'ENOENT' ? 404 : 500;
    res.end();
  }
});
server.listen(Number(process.env.PORT ?? 8443), process.env.HOST);
