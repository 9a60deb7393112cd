/**
 * The rule fixtures, run against the engine: a `describe` per rule, an `it` per case.
 * Fixtures are found by rule id (the meta test also keeps ids and fixture files in step).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { RULE_IDS } from '../../server/src/engine/index';
import { runRuleFixture, type RuleFixture } from './rule-tester';

for (const rule of RULE_IDS) {
  let fixture: RuleFixture;
  try {
    fixture = (require(`./fixtures/${rule}`) as { default: RuleFixture }).default;
  } catch (err) {
    it(`${rule} has a fixture module`, () => assert.fail(`test/engine/fixtures/${rule}.ts does not load: ${String(err)}`));
    continue;
  }
  runRuleFixture(fixture);
}
