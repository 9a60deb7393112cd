// express: an async download route that awaits the read and ends the response with the bytes.
const express = require('express');
const { readFile } = require('fs/promises');
const path = require('path');

const app = express();
const ROOT = process.env.ROOT || path.join(__dirname, 'files');

app.get('/download/:name', async (req, res) => {
  try {
    const bytes = await readFile(path.join(ROOT, path.basename(req.params.name)));
    res.setHeader('Content-Type', 'application/octet-stream');
    res.end(bytes);
  } catch (error) {
    res.statusCode = error.code === 'ENOENT' ? 404 : 500;
    res.end();
  }
});

app.listen(Number(process.env.PORT || 3000), process.env.HOST);
