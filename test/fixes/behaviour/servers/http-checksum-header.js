// Sends each file with a Digest header (sha-256 of its bytes), computed as the file is served.
const http = require('http');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const ROOT = process.env.ROOT || '/srv/artifacts';

http
  .createServer(async (req, res) => {
    try {
      const bytes = await fs.promises.readFile(path.join(ROOT, path.basename(req.url)));
      const digest = crypto.createHash('sha256').update(bytes).digest('base64');
      res.setHeader('Digest', `sha-256=${digest}`);
      res.setHeader('Content-Type', 'application/octet-stream');
      res.end(bytes);
    } catch (err) {
      res.statusCode = err.code === 'ENOENT' ? 404 : 500;
      res.end();
    }
  })
  .listen(process.env.PORT || 8080, process.env.HOST);
