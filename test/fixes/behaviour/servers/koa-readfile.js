// koa: ctx.body = await fs.promises.readFile(...), with ctx.type from the extension.
const Koa = require('koa');
const fs = require('fs');
const path = require('path');

const app = new Koa();
const ROOT = process.env.ROOT || path.join(__dirname, 'public');

app.use(async (ctx) => {
  const file = path.join(ROOT, path.basename(ctx.path));
  try {
    ctx.body = await fs.promises.readFile(file);
    ctx.type = path.extname(file) || 'bin';
  } catch (err) {
    ctx.status = err.code === 'ENOENT' ? 404 : 500;
    ctx.body = { error: err.code };
  }
});

app.listen(process.env.PORT || 3000, process.env.HOST);
