/** The fix fixtures, one per rewrite kind, run against the engine and the fix engine. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { FIX_KINDS } from '../../server/src/fixes/index';
import { runFixFixture, type FixFixture } from './fix-tester';

for (const kind of FIX_KINDS) {
  let fixture: FixFixture;
  try {
    fixture = (require(`./fixtures/${kind}`) as { default: FixFixture }).default;
  } catch (err) {
    it(`${kind} has a fixture module`, () => assert.fail(`test/fixes/fixtures/${kind}.ts does not load: ${String(err)}`));
    continue;
  }
  runFixFixture(fixture);
}
