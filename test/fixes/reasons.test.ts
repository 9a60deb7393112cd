/**
 * Every "no fix, because …" the fix engine can give has a no-fix fixture case that gives it. The
 * reasons are read from the fix engine's source (refusal-reasons.ts); each no-fix case of every
 * fixture is run (as fixes.test.ts runs it) and the reason its kind gives is matched against them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIX_KINDS, type FixKind } from '../../server/src/fixes/index';
import { runCase, type FixFixture } from './fix-tester';
import { FIXES_DIR, pattern, refusalReasons, staticLength, text, type Reason } from './refusal-reasons';

/**
 * Refusals whose reason has no static text to match (`file:line` of the `refuse` call -> why it
 * is exempt). None today: keep it that way, or say why here.
 */
const DYNAMIC: Record<string, string> = {};

/**
 * Reasons no finding of the engine reaches today (the reason's text -> why): guards of what the
 * engine or an earlier check already ensures. A reason listed here that a case does give fails the
 * test: the list only ever says what is true.
 */
const UNREACHABLE: Record<string, string> = {
  // A fixture's finding and its fix come from the same text: these need a stale finding.
  'the file is not analysed (…)': 'the engine gives findings only for a file it analysed; reached when a caller passes a finding for a text it now skips',
  'the file changed since it was analysed: the read is no longer where the finding says': 'reached only by a finding computed from another text than the one given',
  // Which rewrites are offered: by the finding's recommendation (registry.ts) and the rule that gives it.
  'the bytes go to a socket, not a file': 'copyFile is offered only for the copyFile recommendation, which only file-to-file gives',
  'the file is not read whole': 'mmap is offered only for inspect-then-send, whose source is a whole read',
  'the response is HTTP/2: see the respondWithFile fix': 'HTTP/2 findings are recommended respondWithFile, for which the sendfile rewrite is not offered',
  'the target is HTTP/2: see the respondWithFile fix': 'as above: the sendfile rewrite is never tried on an HTTP/2 target',
  'the loop does not write to HTTP/2: see the sendfile fix': "a read loop's finding is recommended respondWithFile only when its sink is an HTTP/2 stream or response",
  'the socket is TLS: sendFile can only stream there (see the stream fix)': 'TLS findings are recommended stream, for which the sendfile rewrite is not offered',
  "the bytes go to …; sendFile's rewrite here is for HTTP/1 responses and sockets": 'the targets left for it are TLS sockets (recommended stream) and koa (its body assignments go to the koa rewrite first)',
  'the bytes go to …, not an HTTP/2 stream': 'respondWithFile is recommended only for HTTP/2 targets, and a compatibility response is handled before this check',
  'the stream goes to …, not an HTTP/2 stream': 'as above, for a stream',
  'the bytes go to a file': 'a file is a target only in file-to-file findings, where only copyFile (which does not look for a target) is offered',
  // What the engine reports as a source or a sink.
  '… is not `readFile` or `readFileSync`': "the engine's whole-file sources are exactly readFile and readFileSync, as the same evaluator sees them here",
  'the send writes nothing': 'a sink is found through the argument that carries the bytes, so the send has one',
  'the bytes are decoded with …, not a literal encoding': 'the engine takes `toString(enc)` with an encoding it cannot read as changing the bytes, and gives no finding',
  'the write has no destination or no data': 'the engine finds a write through its data argument, written out after the destination',
  'the bytes are written by …': "the engine's file writes are calls (writeFile, write, a write stream's methods), never an assignment or a return",
  'the stream is not written by a call': 'as above, for a stream',
  'the copy is made by …': "the engine's stream-to-file sinks are pipe, pipeline (also promisified) and write, and write is refused before (it has no destination argument)",
  'the bytes are not assigned to `ctx.body`': 'the assignments the engine reports as sinks are koa `….body =` assignments',
  'the handler returns the bytes to a framework that sends them itself (fastify); no fix is offered for that yet': "the engine reports a returned value's range, never the return statement's, so the sink is never a return; the noSink reason says it instead",
  'the stream is handed over by …, not piped': 'a stream sink that is not a call would be a koa assignment (the koa rewrite takes it first) or a return (never reported, as above)',
  // What the context's noSink says when the sink node is none of the shapes it names.
  'the bytes are handed over at line … in a way the rewrites do not know': "the engine's sinks that are not a call or an assignment are a returned value (a `return`'s expression, an arrow function's body) or the body of a `new Response(…)`, each of which noSink names",
  'the stream is handed over at line … in a way the rewrites do not know': 'as above, for a stream',
  // An earlier check of the same rewrite refuses first.
  'the bytes are written in another file; the rewrite would have to change both': 'the whole read (wholeRead) is checked first and refuses a sink in another file, in its words ("sent")',
};

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
  for (const t of Object.keys(UNREACHABLE)) assert.ok(reasons.some((r) => text(r) === t), `UNREACHABLE names a reason the fix engine does not give: ${t}`);
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
    if (text(r) in UNREACHABLE) {
      assert.equal(cases.length, 0, `"${text(r)}" is listed as unreachable, yet ${cases.map((c) => `${c.kind}: ${c.name}`).join(', ')} gives it: take it off the list`);
    } else if (!cases.length) {
      missing.push(`${r.at.join(', ')}: ${text(r)}`);
    }
  }
  assert.deepEqual(missing, [], `${missing.length} of ${reasons.length} reasons have no no-fix case:\n${missing.join('\n')}`);
  // And no case gives a reason the reader missed.
  const strays = given.filter((g) => !reasons.some((r) => pattern(r).test(g.reason)));
  assert.deepEqual(strays, [], 'cases whose reason is not one read from the fix engine');
});
