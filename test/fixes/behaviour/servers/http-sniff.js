// Picks the Content-Type from the file's first bytes (PNG, GIF, PDF), then sends the file unchanged.
const http = require('http');
const fsp = require('fs/promises');
const path = require('path');

const UPLOADS = process.env.ROOT || '/var/uploads';

function sniff(bytes) {
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47) return 'image/png';
  if (bytes.subarray(0, 3).toString('latin1') === 'GIF') return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === '%PDF') return 'application/pdf';
  return 'application/octet-stream';
}

http
  .createServer(async (req, res) => {
    let bytes;
    try {
      bytes = await fsp.readFile(path.join(UPLOADS, path.basename(req.url)));
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': sniff(bytes) });
    res.end(bytes);
  })
  .listen(process.env.PORT || 8080, process.env.HOST);
