/**
 * The file's style is learnt once per parsed file: the server asks for the fixes of every finding
 * of a file, and on a large file the walk cost more than the rest of a fix together.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { detectStyle } from '../../server/src/fixes/style';

const parse = (name: string, text: string) => ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);

test('detectStyle answers the same object for the same parsed file and package type, and learns a new file afresh', () => {
  const cjs = parse('/p/a.js', "const fs = require(\"node:fs\");\nfunction f() {\n    return fs;\n}\n");
  const first = detectStyle(cjs);
  assert.deepEqual(first, { modules: 'commonjs', quote: '"', semicolons: true, indent: '    ', newline: '\n', nodePrefix: true, typescript: false });
  assert.equal(detectStyle(cjs), first);
  // No module syntax: the package type decides, per type.
  const plain = parse('/p/b.js', 'export default 1\n'.replace('export default ', 'let x = '));
  assert.equal(detectStyle(plain, 'module').modules, 'esm');
  assert.equal(detectStyle(plain, 'commonjs').modules, 'commonjs');
  assert.equal(detectStyle(plain, 'module'), detectStyle(plain, 'module'));
  // The same text parsed again is another file: learnt again, to the same answer.
  const again = parse('/p/a.js', cjs.text);
  assert.notEqual(detectStyle(again), first);
  assert.deepEqual(detectStyle(again), first);
});
