// Where the media files live, and how to open one.
const fs = require('fs');
const path = require('path');
const { config } = require('../config');

const TYPES = {
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.flac': 'audio/flac',
  '.jpg': 'image/jpeg',
  '.json': 'application/json',
};

function mediaPath(name) {
  return path.join(config.libraryDir, path.basename(name));
}

function mediaType(name) {
  return TYPES[path.extname(name)] || 'application/octet-stream';
}

// Callers pipe this stream to a response: the copy it starts is reported here, at the source.
function openMedia(name) {
  return fs.createReadStream(mediaPath(name));
}

module.exports = { mediaPath, mediaType, openMedia };
