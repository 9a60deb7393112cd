// Several requests per connection: each file answered as "OK <size>\n" + bytes, or "ERR <code>\n";
// "QUIT" ends the connection. Requests are answered one at a time, in order.
const net = require('net');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || '/srv/files';

function answer(socket, name, done) {
  fs.readFile(path.join(ROOT, path.basename(name)), (err, data) => {
    if (err) socket.write(`ERR ${err.code}\n`);
    else {
      socket.write(`OK ${data.length}\n`);
      socket.write(data);
    }
    done();
  });
}

net
  .createServer((socket) => {
    let pending = '';
    let busy = false;
    const queue = [];
    const next = () => {
      if (busy || queue.length === 0) return;
      const name = queue.shift();
      if (name === 'QUIT') return socket.end();
      busy = true;
      answer(socket, name, () => {
        busy = false;
        next();
      });
    };
    socket.on('data', (chunk) => {
      pending += chunk.toString('utf8');
      let newline;
      while ((newline = pending.indexOf('\n')) >= 0) {
        queue.push(pending.slice(0, newline).trim());
        pending = pending.slice(newline + 1);
      }
      next();
    });
  })
  .listen(process.env.PORT || 9002, process.env.HOST);
