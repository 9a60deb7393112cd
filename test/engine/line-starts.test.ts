/**
 * A re-parsed tree carries its line starts over from the version it was edited from
 * (parse.ts shiftedLineStarts), instead of TypeScript scanning the whole text again for them on
 * the first position asked. They must be exactly what a fresh parse computes, whatever the edit
 * does to line breaks: `\n`, `\r`, `\r\n` (made or split by the edit), U+2028/U+2029, breaks at
 * either end of the text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { parse, reparse } from '../../server/src/engine/parse';

const PIECES = ['\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', 'a', 'b c', ';', '\n\n', '\r\r\n', 'x\r', '//c\n', '"s"'];

/** A seeded generator (a test that fails says how to replay it). */
function random(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return s % n;
  };
}

test('line starts after an edit are those of a fresh parse, for edits that make, split and remove line breaks of every kind', () => {
  const rnd = random(20261207);
  const draw = (max: number): string => Array.from({ length: rnd(max) }, () => PIECES[rnd(PIECES.length)]!).join('');
  let carried = 0;
  for (let round = 0; round < 1000; round++) {
    let text = draw(30);
    let sf = parse('/p/a.js', text);
    sf.getLineStarts();
    for (let edit = 0; edit < 10; edit++) {
      const start = rnd(text.length + 1);
      const end = Math.min(text.length, start + rnd(4));
      const next = text.slice(0, start) + draw(3) + text.slice(end);
      sf = reparse(sf, next);
      if ((sf as { lineMap?: unknown }).lineMap !== undefined) carried++;
      const fresh = ts.createSourceFile('/p/b.js', next, ts.ScriptTarget.Latest).getLineStarts();
      assert.deepEqual(sf.getLineStarts(), fresh, `round ${round}, edit ${edit}: ${JSON.stringify(text)} -> ${JSON.stringify(next)}`);
      text = next;
    }
  }
  // Carried over, not recomputed on demand (which would pass the comparison too).
  assert.ok(carried >= 9_500, `line starts carried over by ${carried} of 10,000 re-parses`);
});
