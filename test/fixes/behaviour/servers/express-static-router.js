// express: a router of static assets streamed with pipe; a missing one goes on to express's 404.
const express = require('express');
const fs = require('fs');
const path = require('path');

const ASSETS = process.env.ROOT || path.join(__dirname, 'assets');
const assets = express.Router();

assets.get('/:name', (req, res, next) => {
  const stream = fs.createReadStream(path.join(ASSETS, path.basename(req.params.name)));
  stream.on('error', (err) => {
    if (err.code === 'ENOENT' || err.code === 'EISDIR') return next();
    next(err);
  });
  res.type('application/octet-stream');
  stream.pipe(res);
});

const app = express();
app.use('/assets', assets);
app.listen(Number(process.env.PORT || 3000), process.env.HOST);
