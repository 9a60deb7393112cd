// express: fs.readFile with a callback, res.send(data); the error branch answers from err.code.
const express = require('express');
const fs = require('fs');
const path = require('path');

const app = express();
const ROOT = process.env.ROOT || path.join(__dirname, 'public');

app.get('/:name', (req, res) => {
  const file = path.join(ROOT, path.basename(req.params.name));
  fs.readFile(file, (err, data) => {
    if (err) {
      res.status(err.code === 'ENOENT' ? 404 : 500);
      return res.send(err.code === 'ENOENT' ? 'Not found' : 'Cannot read');
    }
    res.send(data);
  });
});

app.listen(process.env.PORT || 3000, process.env.HOST);
