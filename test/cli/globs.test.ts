import { test } from 'node:test';
import assert from 'node:assert/strict';
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
