/**
 * Every "no fix, because …" the fix engine can give has a no-fix fixture case that gives it. The
 * reasons are read from the fix engine's source (refusal-reasons.ts); each no-fix case of every
 * fixture is run (as fixes.test.ts runs it) and the reason its kind gives is matched against them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIX_KINDS, type FixKind } from '../../server/src/fixes/index';
import { runCase, type FixFixture } from './fix-tester';
import { NOT_YET_COVERED } from './reasons-not-yet-covered';
import { FIXES_DIR, pattern, refusalReasons, staticLength, text, type Reason } from './refusal-reasons';

/**
 * Refusals whose reason has no static text to match (`file:line` of the `refuse` call -> why it
 * is exempt). None today: keep it that way, or say why here.
 */
const DYNAMIC: Record<string, string> = {};

/**
 * Reasons no finding of the engine reaches today (the reason's text -> why). A reason listed here
 * that a case does give fails the test: the list only ever says what is true.
 */
const UNREACHABLE: Record<string, string> = {};

/** The reason each no-fix case of every fixture gives, from the real engine and fix engine. */
function givenReasons(): { kind: FixKind; name: string; reason: string }[] {
  return FIX_KINDS.flatMap((kind) => {
    const fixture = (require(`./fixtures/${kind}`) as { default: FixFixture }).default;
    return fixture.cases.flatMap((c) => {
      if (c.noFix === undefined) return [];
      const outcome = runCase(c).outcomes.find((o) => o.kind === kind);
      return outcome?.reason === undefined ? [] : [{ kind, name: c.name, reason: outcome.reason }];
    });
  });
}

const { reasons, unreadable } = refusalReasons(new Set(Object.keys(DYNAMIC)));

test('the reasons are read from the fix engine', () => {
  assert.deepEqual(unreadable, [], `refusals whose reason has no static text (say why in DYNAMIC, or give them some):\n${unreadable.join('\n')}`);
  // The reader finds them: a fix engine refuses for many reasons, each in its own words.
  assert.ok(reasons.length > 100, `only ${reasons.length} reasons found in ${FIXES_DIR}`);
  for (const at of Object.keys(DYNAMIC)) assert.ok(reasons.every((r) => !r.at.includes(at)), `${at} is in DYNAMIC but its reason can be read`);
  for (const t of [...Object.keys(UNREACHABLE), ...NOT_YET_COVERED]) assert.ok(reasons.some((r) => text(r) === t), `a list names a reason the fix engine does not give: ${t}`);
});

test('every reason the fix engine gives has a no-fix fixture case', () => {
  const given = givenReasons();
  // A case gives the most specific reason its text matches: "the stream decodes the file as hex,
  // which does not write back the same bytes" is that reason, not "the stream decodes the file as …".
  const givenBy = new Map<Reason, typeof given>();
  for (const g of given) {
    const matching = reasons.filter((r) => pattern(r).test(g.reason));
    const most = Math.max(...matching.map(staticLength));
    for (const r of matching) if (staticLength(r) === most) givenBy.set(r, [...(givenBy.get(r) ?? []), g]);
  }
  const missing: string[] = [];
  for (const r of reasons) {
    const cases = givenBy.get(r) ?? [];
    const listed = text(r) in UNREACHABLE ? 'unreachable' : NOT_YET_COVERED.includes(text(r)) ? 'not yet covered' : undefined;
    if (listed) {
      assert.equal(cases.length, 0, `"${text(r)}" is listed as ${listed}, yet ${cases.map((c) => `${c.kind}: ${c.name}`).join(', ')} gives it: take it off the list`);
    } else if (!cases.length) {
      missing.push(`${r.at.join(', ')}: ${text(r)}`);
    }
  }
  assert.deepEqual(missing, [], `${missing.length} of ${reasons.length} reasons have no no-fix case:\n${missing.join('\n')}`);
  // And no case gives a reason the reader missed.
  const strays = given.filter((g) => !reasons.some((r) => pattern(r).test(g.reason)));
  assert.deepEqual(strays, [], 'cases whose reason is not one read from the fix engine');
});
