// express: a read stream piped into res after a stat; a router module inline.
const express = require('express');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || path.join(__dirname, 'media');
const media = express.Router();

media.get('/:file', (req, res) => {
  const file = path.join(ROOT, path.basename(req.params.file));
  fs.stat(file, (err, stats) => {
    if (err || !stats.isFile()) return res.sendStatus(404);
    res.set({ 'Content-Type': 'application/octet-stream', 'Content-Length': String(stats.size) });
    fs.createReadStream(file).pipe(res);
  });
});

const app = express();
app.disable('x-powered-by');
app.use('/media', media);
app.listen(process.env.PORT || 3000, process.env.HOST);
