import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Minimatch } from 'minimatch';
import { compileGlob } from '../../server/src/workspace/glob';
import { createPathFilter } from '../../server/src/workspace/globs';

test('exclude globs: a name glob matches in any folder, a path glob from the folder', () => {
  const filter = createPathFilter('/w', [], ['*.test.js', 'gen/**', '  ']);
  assert.equal(filter.accepts('/w/src/a.js'), true);
  assert.equal(filter.accepts('/w/src/a.test.js'), false);
  assert.equal(filter.accepts('/w/gen/x/y.js'), false);
  assert.equal(filter.accepts('/w/src/gen/y.js'), true);
  assert.equal(filter.accepts('/elsewhere/a.test.js'), true);
});

test('include globs: only matching files, then excludes', () => {
  const filter = createPathFilter('/w', ['src/**/*.ts', 'server.js'], ['src/legacy/**']);
  assert.equal(filter.accepts('/w/src/a/b.ts'), true);
  assert.equal(filter.accepts('/w/src/a/b.js'), false);
  assert.equal(filter.accepts('/w/lib/server.js'), true);
  assert.equal(filter.accepts('/w/src/legacy/old.ts'), false);
  assert.equal(filter.accepts('/w/.hidden/src/x.ts'), false);
});

test('VS Code glob syntax matches as minimatch does on ordinary globs (dot files included)', () => {
  const globs = [
    '*.test.js', '**/*.ts', 'src/**', 'src/**/*.ts', 'src/*/x.js', 'lib/gen/*.js', '?.js', '[ab].js', '[!ab].js', '[a-c]*.ts',
    '{src,lib}/**/*.js', '**/{gen,dist}/**', '*.{js,ts}', 'src/{a,b{c,d}}.js', './src/*.js', '**', '*', 'a\\*b.js', '.hidden/**', '**/.*.js',
  ];
  const paths = [
    'a.js', 'b.ts', 'x.test.js', 'src/a.ts', 'src/a.js', 'src/deep/er/x.ts', 'src/x/x.js', 'lib/gen/y.js', 'lib/gen/z/y.js', 'c.ts',
    'a*b.js', 'ab.js', 'src/bc.js', 'src/bd.js', 'src/b.js', '.hidden/x.js', 'src/.eslintrc.js', 'dist/a.js', 'x/gen/y.js', 'd.js',
  ];
  for (const glob of globs) {
    const m = new Minimatch(glob.replace(/^\.\//, ''), { dot: true, matchBase: !glob.includes('/') });
    const compiled = compileGlob(glob);
    assert.ok('glob' in compiled, glob);
    for (const path of paths) assert.equal(compiled.glob.matches(path), m.match(path), `${glob} on ${path}`);
  }
});

test('hostile globs from a repository are matched in bounded time or refused with a reason, never hang', () => {
  // In a child process, so that a glob that hangs the matcher is killed and reported, not waited on.
  const script = `
    const { createPathFilter } = require(${JSON.stringify(join(__dirname, '../../server/src/workspace/globs.js'))});
    const long = 'a'.repeat(200);
    const filter = createPathFilter('/w', [], [
      '+(a|aa)+(a|aa)+(a|aa)+(a|aa)b',
      '*a*a*a*a*a*a*a*a*a*a*a*a*b',
      '**/*a*a*a*a*a*a*a*a*a*a*b/**/*a*a*a*a*a*a*a*b',
      '{a,b}'.repeat(30),
      '{1..100000}',
      'x'.repeat(70000),
      '{' + 'a,'.repeat(5000) + 'b}',
    ]);
    const results = ['/w/' + long, '/w/' + long + '/' + long, '/w/src/' + long + '.js'].map((p) => filter.accepts(p));
    process.stdout.write(JSON.stringify({ results, problems: filter.problems }));
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
  assert.equal(r.signal, null, 'matching the hostile globs did not end within 60 s: it hangs');
  assert.equal(r.status, 0, r.stderr);
  const { results, problems } = JSON.parse(r.stdout) as { results: boolean[]; problems: string[] };
  assert.deepEqual(results, [true, true, true]);
  assert.deepEqual(problems, [
    `exclude glob "${'{a,b}'.repeat(30).slice(0, 77)}…" is ignored: its braces expand to more than 256 globs`,
    `exclude glob "${'x'.repeat(77)}…" is ignored: longer than 1000 characters`,
    `exclude glob "{${'a,'.repeat(38)}…" is ignored: longer than 1000 characters`,
  ]);
});

test('more globs than a list may hold are cut, and said to be', () => {
  const filter = createPathFilter('/w', [], Array.from({ length: 300 }, (_, i) => `f${i}.js`));
  assert.deepEqual(filter.problems, ['exclude: only the first 200 of 300 globs are used']);
  assert.equal(filter.accepts('/w/f199.js'), false);
  assert.equal(filter.accepts('/w/f200.js'), true);
});
