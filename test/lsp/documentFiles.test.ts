import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileNameOf, uriOf } from '../../server/src/lsp/documentFiles';

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
