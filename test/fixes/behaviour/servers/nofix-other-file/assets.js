// Where the assets live, and how to open one as a stream.
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || path.join(__dirname, 'assets');

function openAsset(url) {
  return fs.createReadStream(path.join(ROOT, path.basename(url)));
}

module.exports = { openAsset };
