import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mayImport } from '../../server/src/lsp/dependents';

test('a module specifier naming the changed file counts as an import', () => {
  assert.ok(mayImport("const h = require('./helper');", '/p/helper.js'));
  assert.ok(mayImport('import { send } from "../lib/helper.js";', '/p/lib/helper.js'));
  assert.ok(mayImport("import x from './lib';", '/p/lib/index.ts'));
  assert.ok(mayImport('import x from `./helper.mjs`;', '/p/helper.mjs'));
});

test('other mentions of the name do not', () => {
  assert.equal(mayImport('const helper = 1; // helper', '/p/helper.js'), false);
  assert.equal(mayImport("require('./helpers')", '/p/helper.js'), false);
  assert.equal(mayImport("require('helper')", '/p/helper.js'), false);
});
