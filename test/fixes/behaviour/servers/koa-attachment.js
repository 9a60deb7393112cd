// koa: downloads as attachments (ctx.attachment sets Content-Disposition), streamed after a stat.
const Koa = require('koa');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || '/srv/downloads';
const app = new Koa();

app.use(async (ctx) => {
  const file = path.join(ROOT, path.basename(ctx.path));
  const stat = await fs.promises.stat(file).catch(() => undefined);
  if (!stat || !stat.isFile()) {
    ctx.status = 404;
    ctx.body = { error: 'no such download' };
    return;
  }
  ctx.attachment(path.basename(file));
  ctx.length = stat.size;
  ctx.body = fs.createReadStream(file);
});

app.listen(process.env.PORT || 3000, process.env.HOST);
