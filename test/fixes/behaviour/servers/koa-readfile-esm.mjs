// koa as an ES module: the type set first, then ctx.body = await readFile(...).
import Koa from 'koa';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

const root = process.env.ROOT ?? './public';
const app = new Koa();

app.use(async (ctx) => {
  ctx.type = 'application/octet-stream';
  try {
    ctx.body = await readFile(join(root, basename(ctx.path)));
  } catch (err) {
    ctx.status = err.code === 'ENOENT' ? 404 : 500;
    ctx.body = err.code === 'ENOENT' ? 'missing' : 'failed';
  }
});

app.listen(Number(process.env.PORT ?? 3000), process.env.HOST);
