// fastify: reply.send(stream) after a stat, with a header set first.
const Fastify = require('fastify');
const fs = require('fs');
const path = require('path');

const app = Fastify({ logger: false });
const ROOT = process.env.ROOT || '/srv/fastify';

app.get('/download/:name', (request, reply) => {
  const file = path.join(ROOT, path.basename(request.params.name));
  fs.stat(file, (err, stats) => {
    if (err || !stats.isFile()) {
      reply.code(404).send({ message: 'not found' });
      return;
    }
    reply.header('Content-Type', 'application/octet-stream');
    reply.header('Content-Length', stats.size);
    reply.send(fs.createReadStream(file));
  });
});

app.listen({ port: Number(process.env.PORT || 3000), host: process.env.HOST });
