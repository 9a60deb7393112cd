// fastify: an async route returning the Buffer it read; reply.type() set before.
const fastify = require('fastify')();
const fs = require('fs/promises');
const path = require('path');

const ROOT = process.env.ROOT || path.join(__dirname, 'public');

fastify.get('/:name', async (request, reply) => {
  const file = path.join(ROOT, path.basename(request.params.name));
  try {
    const data = await fs.readFile(file);
    reply.type('application/octet-stream');
    return data;
  } catch (err) {
    reply.code(err.code === 'ENOENT' ? 404 : 500);
    return { error: err.code };
  }
});

fastify.listen({ port: Number(process.env.PORT || 3000), host: process.env.HOST || '127.0.0.1' }).catch((err) => {
  console.error(err);
  process.exit(1);
});
