// Configuration, read once when the module loads (startup reads are not findings).
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const file = process.env.MEDIA_CONFIG || path.join(ROOT, 'config.json');

const config = {
  port: 8080,
  apiPort: 8081,
  title: 'Media library',
  libraryDir: path.join(ROOT, 'library'),
  publicDir: path.join(ROOT, 'public'),
  ...JSON.parse(fs.readFileSync(file, 'utf8')),
};

module.exports = { config };
