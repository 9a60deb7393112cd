// express: fs.readFile with a callback, res.type(...).send(data), errors handed to next().
const express = require('express');
const fs = require('fs');
const path = require('path');

const app = express();
const ROOT = process.env.ROOT || path.join(__dirname, 'downloads');

app.get('/:name', (req, res, next) => {
  const file = path.join(ROOT, path.basename(req.params.name));
  fs.readFile(file, (err, data) => {
    if (err) {
      if (err.code === 'ENOENT') return res.status(404).send('No such download');
      return next(err);
    }
    res.set('Cache-Control', 'private, max-age=0');
    res.type('application/octet-stream').send(data);
  });
});

app.use((err, req, res, next) => {
  res.status(500).send('Something broke');
});

app.listen(process.env.PORT || 3000, process.env.HOST);
