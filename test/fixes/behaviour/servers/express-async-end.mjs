// express in an ES module: an async route awaiting readFile and answering with res.status().end().
import express from 'express';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

const ROOT = process.env.ROOT ?? './exports';
const app = express();

app.get('/exports/:file', async (req, res) => {
  let data;
  try {
    data = await readFile(join(ROOT, basename(req.params.file)));
  } catch {
    res.status(404).end();
    return;
  }
  res.set('Content-Type', 'text/csv; charset=utf-8');
  res.status(200).end(data);
});

app.listen(Number(process.env.PORT ?? 3000), process.env.HOST);
