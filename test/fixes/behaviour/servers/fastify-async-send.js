// fastify: an async route sending the Buffer it awaited with reply.send and returning the reply;
// a failed read goes to fastify's own error handler (a 500 with the error's code and message).
const fastify = require('fastify');
const { readFile } = require('fs/promises');
const path = require('path');

const app = fastify();
const ROOT = process.env.ROOT || '/srv/files';

app.get('/files/:name', async (request, reply) => {
  const data = await readFile(path.join(ROOT, path.basename(request.params.name)));
  reply.header('cache-control', 'public, max-age=60');
  return reply.send(data);
});

app.listen({ port: Number(process.env.PORT || 3000), host: process.env.HOST || '127.0.0.1' }).catch((err) => {
  console.error(err);
  process.exit(1);
});
