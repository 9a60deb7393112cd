// express, ESM: the type set on the success path only, the bytes sent straight from the await.
import express from 'express';
import { readFile } from 'node:fs/promises';
import { join, basename } from 'node:path';

const app = express();
const ROOT = process.env.ROOT ?? join(import.meta.dirname ?? '.', 'static');

app.get('/:name', async (req, res) => {
  try {
    res.type('text/plain');
    res.send(await readFile(join(ROOT, basename(req.params.name))));
  } catch (error) {
    console.error('cannot send', error.code);
    res.sendStatus(404);
  }
});

app.listen(Number(process.env.PORT ?? 3000), process.env.HOST);
