import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { fileNameOf, uriOf } from '../../server/src/lsp/documentFiles';
import { tempProject } from './support/tempProject';

test('file URIs map to paths and back', () => {
  assert.equal(fileNameOf('file:///srv/app/my%20server.ts'), '/srv/app/my server.ts');
  assert.equal(uriOf('/srv/app/my server.ts'), 'file:///srv/app/my%20server.ts');
});

test('documents without a JS/TS file name get one from their language id', () => {
  assert.equal(fileNameOf('untitled:Untitled-1', 'typescript'), 'untitled:Untitled-1.ts');
  assert.equal(fileNameOf('file:///usr/local/bin/serve', 'javascript'), '/usr/local/bin/serve.js');
  assert.equal(uriOf('untitled:Untitled-1.ts'), 'untitled:Untitled-1.ts');
});

test('other documents keep a name the engine does not analyse', () => {
  assert.equal(fileNameOf('file:///srv/README.md', 'markdown'), '/srv/README.md');
});

test('a Node script without an extension on disk keeps its name (as the workspace walk lists it)', (t) => {
  const p = tempProject({ 'bin/serve': '#!/usr/bin/env node\nconsole.log(1);\n', 'bin/notes': 'text\n' });
  t.after(() => p.remove());
  assert.equal(fileNameOf(pathToFileURL(p.path('bin/serve')).href, 'javascript'), p.path('bin/serve'));
  assert.equal(fileNameOf(pathToFileURL(p.path('bin/notes')).href, 'javascript'), p.path('bin/notes') + '.js');
});
