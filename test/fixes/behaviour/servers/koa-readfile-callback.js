// koa with a callback read wrapped in a promise by hand, as older middleware does.
const Koa = require('koa');
const fs = require('fs');
const path = require('path');

const ROOT = process.env.ROOT || '/srv/koa';

function read(file) {
  return new Promise((resolve, reject) => {
    fs.readFile(file, (err, data) => (err ? reject(err) : resolve(data)));
  });
}

const app = new Koa();
app.use(async (ctx) => {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') ctx.throw(405);
  try {
    const data = await read(path.join(ROOT, path.basename(ctx.path)));
    ctx.set('Cache-Control', 'max-age=120');
    ctx.type = 'application/octet-stream';
    ctx.body = data;
  } catch (e) {
    ctx.status = 404;
  }
});
app.listen(process.env.PORT || 3000, process.env.HOST);
