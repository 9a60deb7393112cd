// Downloads of whole library files, mounted by the express app under /downloads.
const express = require('express');
const crypto = require('crypto');
const fsp = require('fs/promises');
const { mediaPath } = require('../lib/media-store');

const router = express.Router();

router.get('/catalog.json', async (req, res, next) => {
  try {
    // Hashed for the ETag, then sent unchanged: inspect-then-send.
    const catalog = await fsp.readFile(mediaPath('catalog.json'));
    const etag = '"' + crypto.createHash('sha1').update(catalog).digest('base64') + '"';
    if (req.headers['if-none-match'] === etag) return res.status(304).end();
    res.set('ETag', etag);
    res.type('application/json').send(catalog);
  } catch (err) {
    next(err);
  }
});

router.get('/:name', async (req, res, next) => {
  try {
    // Whole file in memory, sent unchanged: read-then-send.
    const file = await fsp.readFile(mediaPath(req.params.name));
    res.attachment(req.params.name);
    res.send(file);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
