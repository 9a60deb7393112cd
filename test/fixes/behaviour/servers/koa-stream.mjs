// koa as an ES module: a stat for the 404, then ctx.body = createReadStream(...).
import Koa from 'koa';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

const app = new Koa();
const root = process.env.ROOT ?? './files';

app.use(async (ctx, next) => {
  ctx.set('X-Response-From', 'koa-files');
  await next();
});

app.use(async (ctx) => {
  const file = join(root, basename(ctx.path));
  const info = await stat(file).catch(() => null);
  if (!info || !info.isFile()) ctx.throw(404, 'no such file');
  ctx.type = 'application/octet-stream';
  ctx.length = info.size;
  ctx.body = createReadStream(file);
});

app.listen(Number(process.env.PORT ?? 3000), process.env.HOST);
