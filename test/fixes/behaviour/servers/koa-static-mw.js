// koa: a static middleware of its own under /static, everything else falls through to the next one.
const Koa = require('koa');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || path.join(__dirname, 'static');
const app = new Koa();

app.use(async (ctx, next) => {
  if (!ctx.path.startsWith('/static/')) return next();
  const file = path.join(ROOT, path.basename(ctx.path));
  let stat;
  try {
    stat = await fs.promises.stat(file);
  } catch {
    return next();
  }
  if (!stat.isFile()) return next();
  ctx.set('Cache-Control', 'public, max-age=3600');
  ctx.type = path.extname(file);
  ctx.body = fs.createReadStream(file);
});

app.use((ctx) => {
  ctx.status = 404;
  ctx.body = 'Not Found';
});

app.listen(process.env.PORT || 3000, process.env.HOST);
