/**
 * `zerocopy check --fix` on a copy of examples/, and the example server's runnable parts before
 * and after: the plain-HTTP front (src/server.js), the express download API (src/app.js), the koa
 * preview server (src/koa-preview.mjs) and the TLS admin server (src/admin-tls.js) answer the same
 * requests the same way (support/allowedDifferences.ts), and the fixed copies send the files their
 * fixes changed the new way; the nightly backup job (tools/backup.mjs) leaves the same backup.
 * The WebSocket notifier needs `ws`, which is not installed, and the TypeScript upload client
 * needs a server to upload to and a compiler: they are analysed, not run.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runDifferences } from './support/allowedDifferences';
import type { HttpRequest } from './support/clients';
import { exercise, type Run } from './support/exercise';
import { REPO_ROOT } from './support/fixCopy';
import { makeFixtures, type Fixtures } from './support/fixtures';
import type { NewPath } from './cases';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const EXAMPLE = join(REPO_ROOT, 'examples', 'media-server');

/** A request, and how the fixed copy must send its file when the original read one for it. */
type Step = HttpRequest & { newPath?: NewPath };

interface Entry {
  name: string;
  file: string;
  /** The file whose fix the requests exercise. */
  fixed: string;
  protocol: 'http' | 'https';
  env: (data: Data) => Record<string, string>;
  steps: (data: Data) => Step[];
}

interface Data {
  dir: string;
  library: string;
  config: string;
  configWithoutFavicon: string;
  catalogEtag: string;
}

function makeData(fx: Fixtures): Data {
  const dir = join(fx.work, 'media-data');
  const put = (relativePath: string, content: string | Buffer) => {
    mkdirSync(join(dir, relativePath, '..'), { recursive: true });
    writeFileSync(join(dir, relativePath), content);
  };
  put('public/robots.txt', 'User-agent: *\nDisallow: /admin/\n');
  put('public/favicon.ico', randomBytes(1_150));
  put('public-without-favicon/robots.txt', 'User-agent: *\n');
  const catalog = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, title: `Recording ${i}` })) });
  put('library/catalog.json', catalog);
  put('library/video.mp4', randomBytes(3 * 1024 * 1024 + 1_234));
  put('library/short.mp4', randomBytes(1_000));
  put('library/empty.mp4', '');
  put('library/intro.vtt', 'WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n');
  put('library/report.csv', 'day,plays\n' + Array.from({ length: 5000 }, (_, i) => `${i},${i * 7}`).join('\n'));
  put('library/access.log', 'GET / 200\n'.repeat(100));
  put('library/covers/a.jpg', randomBytes(5_000));
  put('library/covers/b.jpg', randomBytes(7_000));
  const config = (publicDir: string) => JSON.stringify({ port: 0, apiPort: 0, title: 'Test library', publicDir: join(dir, publicDir), libraryDir: join(dir, 'library') });
  put('config.json', config('public'));
  put('config-without-favicon.json', config('public-without-favicon'));
  return {
    dir,
    library: join(dir, 'library'),
    config: join(dir, 'config.json'),
    configWithoutFavicon: join(dir, 'config-without-favicon.json'),
    catalogEtag: '"' + createHash('sha1').update(catalog).digest('base64') + '"',
  };
}

const ENTRIES: Entry[] = [
  {
    name: 'the plain-HTTP front',
    file: 'src/server.js',
    fixed: 'src/server.js',
    protocol: 'http',
    env: (d) => ({ MEDIA_CONFIG: d.config }),
    steps: () => [
      { path: '/favicon.ico', newPath: 'sendFile:sendfile' },
      { method: 'HEAD', path: '/favicon.ico' },
      { path: '/robots.txt' },
      { path: '/catalog.json' },
      { path: '/' },
      { path: '/media/video.mp4' },
      { path: '/media/short.mp4', headers: { range: 'bytes=0-9' } },
      { path: '/nowhere' },
      { path: '/favicon.ico', newPath: 'sendFile:sendfile' },
    ],
  },
  {
    name: 'the plain-HTTP front without a favicon (its error branch)',
    file: 'src/server.js',
    fixed: 'src/server.js',
    protocol: 'http',
    env: (d) => ({ MEDIA_CONFIG: d.configWithoutFavicon }),
    steps: () => [{ path: '/favicon.ico' }, { method: 'HEAD', path: '/favicon.ico' }, { path: '/robots.txt' }, { path: '/favicon.ico' }],
  },
  {
    name: 'the express download API',
    file: 'src/app.js',
    fixed: 'src/routes/downloads.js',
    protocol: 'http',
    env: (d) => ({ MEDIA_CONFIG: d.config }),
    steps: (d) => [
      { path: '/downloads/catalog.json', newPath: 'mapFile:mmap' },
      { path: '/downloads/catalog.json', headers: { 'if-none-match': d.catalogEtag } },
      { method: 'HEAD', path: '/downloads/catalog.json' },
      { path: '/downloads/short.mp4' },
      { path: '/downloads/missing.bin' },
      { path: '/help/index' },
      { path: '/downloads/catalog.json', newPath: 'mapFile:mmap' },
    ],
  },
  {
    name: 'the koa preview server',
    file: 'src/koa-preview.mjs',
    fixed: 'src/koa-preview.mjs',
    protocol: 'http',
    env: (d) => ({ LIBRARY_DIR: d.library + '/', PREVIEW_PORT: '0' }),
    steps: () => [
      { path: '/preview/video.mp4', newPath: 'sendFile:sendfile' },
      { path: '/preview/short.mp4', newPath: 'sendFile:sendfile' },
      { path: '/preview/empty.mp4' },
      { path: '/preview/missing.mp4' },
      { method: 'HEAD', path: '/preview/video.mp4' },
      { path: '/subtitles/intro.vtt' },
      { path: '/elsewhere' },
      { path: '/preview/video.mp4', newPath: 'sendFile:sendfile' },
    ],
  },
  {
    name: 'the TLS admin server',
    file: 'src/admin-tls.js',
    fixed: 'src/admin-tls.js',
    protocol: 'https',
    env: (d) => ({ MEDIA_CONFIG: d.config, ADMIN_PORT: '0' }),
    steps: () => [
      { path: '/admin/report.csv', newPath: 'createReadStream' },
      { method: 'HEAD', path: '/admin/report.csv' },
      { path: '/admin/access.log' },
      { path: '/admin/other' },
      { path: '/admin/report.csv', newPath: 'createReadStream' },
    ],
  },
];

function copyExample(into: string): string {
  const dir = join(into, 'media-server');
  cpSync(EXAMPLE, dir, { recursive: true });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Every file under `dir` (relative, '/'-separated) and its sha-256. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path).split('\\').join('/')] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

describe('the example server answers the same after `zerocopy check --fix`', { timeout: 10 * 60_000 }, () => {
  let fx: Fixtures;
  let data: Data;
  let original: string;
  let fixed: string;
  let changed: string[];

  before(() => {
    fx = makeFixtures();
    data = makeData(fx);
    original = copyExample(join(fx.work, 'original'));
    fixed = copyExample(join(fx.work, 'fixed'));
    const r = spawnSync(process.execPath, [CLI, 'check', '--fix', fixed], { encoding: 'utf8' });
    // Findings the fixes leave (each with its reason) keep the exit status at 1.
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /\d+ findings? fixed/);
    const before = tree(original);
    const after = tree(fixed);
    changed = Object.keys(after).filter((f) => !f.startsWith('node_modules') && before[f] !== after[f]);
  });
  after(() => fx?.remove());

  test('check --fix changed the runnable parts, and package.json gained zerocopy', () => {
    for (const file of ['package.json', ...ENTRIES.map((e) => e.fixed), 'tools/backup.mjs']) assert.ok(changed.includes(file), `${file} was fixed: changed ${JSON.stringify(changed)}`);
    assert.equal(typeof JSON.parse(readFileSync(join(fixed, 'package.json'), 'utf8')).dependencies.zerocopy, 'string');
  });

  for (const entry of ENTRIES) {
    test(`${entry.name} (${entry.file}) answers the same`, async () => {
      const steps = entry.steps(data);
      const env = { ...fx.env, ROOT: data.dir, ...entry.env(data) };
      const requests = { protocol: entry.protocol, requests: steps.map(({ newPath: _, ...r }) => r) } as const;
      const before: Run = await exercise(join(original, entry.file), env, requests, fx.ca);
      const after: Run = await exercise(join(fixed, entry.file), env, requests, fx.ca);
      assert.equal(before.crashed, undefined, before.output);
      assert.equal(after.crashed, undefined, after.output);
      assert.deepEqual(runDifferences(before.outcomes, after.outcomes), [], `the fixed ${entry.file} answers differently:\n${readFileSync(join(fixed, entry.file), 'utf8')}`);
      steps.forEach((step, i) => {
        if (!step.newPath) return;
        const read = before.observed[i]!.some((o) => o.ok && o.bytes > 0 && (o.what === 'readFile' || o.what === 'createReadStream'));
        assert.ok(read, `${before.outcomes[i]!.request}: the original read the file (${JSON.stringify(before.observed[i])})`);
        assert.ok(
          after.observed[i]!.some((o) => o.what === step.newPath && o.ok),
          `${after.outcomes[i]!.request}: the fixed server sends it with ${step.newPath} (${JSON.stringify(after.observed[i])})`,
        );
      });
    });
  }

  test('the nightly backup (tools/backup.mjs) leaves the same backup', () => {
    const run = (root: string, backups: string) =>
      spawnSync(process.execPath, [join(root, 'tools', 'backup.mjs')], { cwd: root, env: { ...process.env, LIBRARY_DIR: data.library, BACKUP_DIR: backups }, encoding: 'utf8' });
    const a = run(original, join(fx.work, 'backups-original'));
    const b = run(fixed, join(fx.work, 'backups-fixed'));
    assert.equal(a.status, 0, a.stderr);
    assert.equal(b.status, 0, b.stderr);
    // One folder per day, named by the date: the two runs' single folders are compared.
    const made = (backups: string) => {
      const days = readdirSync(backups);
      assert.equal(days.length, 1, JSON.stringify(days));
      return tree(join(backups, days[0]!));
    };
    const left = made(join(fx.work, 'backups-original'));
    assert.ok(left['catalog.json'] && left['covers/a.jpg'], JSON.stringify(left));
    assert.deepEqual(made(join(fx.work, 'backups-fixed')), left);
  });
});
