// express 5 style: an async handler awaiting fs.promises.readFile, with try/catch for the 404.
const express = require('express');
const fsp = require('fs/promises');
const path = require('path');

const app = express();
const ROOT = process.env.ROOT || path.resolve('assets');

app.get('/files/:name', async (req, res) => {
  const file = path.join(ROOT, path.basename(req.params.name));
  try {
    const buf = await fsp.readFile(file);
    res.setHeader('Content-Type', 'application/octet-stream');
    res.send(buf);
  } catch (err) {
    res.status(err.code === 'ENOENT' ? 404 : 500).json({ error: err.code });
  }
});

app.listen(Number(process.env.PORT || 3000), process.env.HOST);
