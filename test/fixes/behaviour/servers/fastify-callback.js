// fastify with a callback-style readFile and reply.send(data) inside it.
const fastify = require('fastify');
const fs = require('fs');
const path = require('path');

const server = fastify();
const ROOT = process.env.ROOT || '/srv/static';

server.get('/static/:file', function (request, reply) {
  fs.readFile(path.join(ROOT, path.basename(request.params.file)), function (err, data) {
    if (err) {
      reply.code(404).type('text/plain').send('not found');
      return;
    }
    reply.type('application/octet-stream').send(data);
  });
});

server.listen({ port: Number(process.env.PORT || 8080), host: process.env.HOST }, (err) => {
  if (err) throw err;
});
