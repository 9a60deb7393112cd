// express 5: an async handler awaiting fs.promises.readFile in a try, a header set for every answer first.
const express = require('express');
const fsp = require('fs/promises');
const path = require('path');

const app = express();
const ROOT = process.env.ROOT || path.resolve('files');

app.get('/files/:name', async (req, res) => {
  res.set('Cache-Control', 'no-store');
  const file = path.join(ROOT, path.basename(req.params.name));
  try {
    const buf = await fsp.readFile(file);
    res.send(buf);
  } catch (err) {
    res.status(err.code === 'ENOENT' ? 404 : 500).json({ error: err.code });
  }
});

app.listen(Number(process.env.PORT || 3000), process.env.HOST);
