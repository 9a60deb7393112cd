/**
 * Rule 5 of support/allowedDifferences.ts on answers written out: where the original's process
 * exits during the run, the fixed server may answer the requests the original failed with a
 * complete 5xx, or with none where it exits too, and nothing else. The behaviour test applies it
 * to real runs (koa-stream.mjs, koa-static-mw.js and http2-pipe.js as nobody); this pins what it
 * lets through and what it does not.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Outcome } from './support/clients';
import { runAnswerDifferences, type Answers } from './support/allowedDifferences';

const ok = (request: string, bytes = 5): Outcome => ({ request, status: 200, headers: { 'content-length': String(bytes) }, body: { bytes, sha256: 'a'.repeat(64) } });
const error = (request: string, status: number): Outcome => ({ request, status, headers: { 'content-length': '21' }, body: { bytes: 21, sha256: 'b'.repeat(64) } });
const cut = (request: string, extra: Partial<Outcome> = {}): Outcome => ({ request, error: 'ECONNRESET', ...extra });
const refused = (request: string): Outcome => ({ request, error: 'ECONNREFUSED' });

/** As koa with a streamed body: the GET's connection dropped, the HEAD answered 200, then the process exits. */
const koa: Answers = {
  outcomes: [ok('GET /index.html'), cut('GET /secret.txt'), ok('HEAD /secret.txt', 0), refused('GET /index.html')],
  crashed: 'exit 1',
  crashedAt: 2,
};
/** As http2-pipe.js: a 200 head, then the process exits before the body. */
const h2: Answers = {
  outcomes: [ok('GET /index.html'), cut('GET /secret.txt', { status: 200, error: 'session closed' }), refused('HEAD /secret.txt'), refused('GET /index.html')],
  crashed: 'exit 1',
  crashedAt: 1,
};
const answering = (secret: Outcome, head: Outcome, last = ok('GET /index.html')): Answers => ({ outcomes: [ok('GET /index.html'), secret, head, last] });
const requestsOf = (diffs: { request: string }[]) => diffs.map((d) => d.request);

describe('rule 5: the original exits during the run', () => {
  test('a complete 5xx for each request of the failed file is allowed; other files after it are not compared', () => {
    assert.deepEqual(runAnswerDifferences(koa, answering(error('GET /secret.txt', 500), error('HEAD /secret.txt', 500))), []);
  });

  test('no answer and an exit is allowed, even where the original had sent a 200 head', () => {
    const fixed: Answers = { outcomes: [ok('GET /index.html'), cut('GET /secret.txt', { error: 'session closed' }), refused('HEAD /secret.txt'), refused('GET /index.html')], crashed: 'exit 1', crashedAt: 1 };
    assert.deepEqual(runAnswerDifferences(h2, fixed), []);
  });

  test('the same answers as the original are allowed', () => {
    assert.deepEqual(runAnswerDifferences(h2, h2), []);
  });

  test('no answer without an exit is a difference', () => {
    assert.deepEqual(requestsOf(runAnswerDifferences(h2, answering(cut('GET /secret.txt'), error('HEAD /secret.txt', 500)))), ['GET /secret.txt']);
  });

  test('a 200, 304 or 404 where the original failed is a difference', () => {
    for (const answer of [ok('GET /secret.txt'), error('GET /secret.txt', 304), error('GET /secret.txt', 404)]) {
      assert.deepEqual(requestsOf(runAnswerDifferences(koa, answering(answer, error('HEAD /secret.txt', 500)))), ['GET /secret.txt'], `status ${answer.status}`);
    }
  });

  test('a later request for the failed file is held to the rule too (the original answered it 200, then exited)', () => {
    assert.deepEqual(requestsOf(runAnswerDifferences(koa, answering(error('GET /secret.txt', 500), { ...ok('HEAD /secret.txt', 0), headers: { 'content-length': '9' } }))), ['HEAD /secret.txt']);
  });

  test('a cut 5xx is not a complete answer', () => {
    assert.deepEqual(requestsOf(runAnswerDifferences(koa, answering({ ...error('GET /secret.txt', 500), error: 'ECONNRESET' }, error('HEAD /secret.txt', 500)))), ['GET /secret.txt']);
  });

  test('requests before the failure are compared as always', () => {
    const fixed = answering(error('GET /secret.txt', 500), error('HEAD /secret.txt', 500));
    const diffs = runAnswerDifferences(koa, { outcomes: [ok('GET /index.html', 6), ...fixed.outcomes.slice(1)] });
    assert.ok(diffs.some((d) => d.request === 'GET /index.html' && d.what === 'body'), JSON.stringify(diffs));
  });

  test('where the original does not exit, a dropped connection is compared as always, and an exit of the fixed server is a difference', () => {
    const calm: Answers = { outcomes: [ok('GET /index.html'), cut('GET /secret.txt')] };
    assert.deepEqual(requestsOf(runAnswerDifferences(calm, { outcomes: [ok('GET /index.html'), error('GET /secret.txt', 500)] })).length > 0, true);
    const diffs = runAnswerDifferences({ outcomes: [ok('GET /index.html'), error('GET /secret.txt', 500)] }, { outcomes: [ok('GET /index.html'), cut('GET /secret.txt')], crashed: 'exit 1', crashedAt: 1 });
    assert.ok(diffs.some((d) => d.what === 'exit') && diffs.some((d) => d.what === 'status'), JSON.stringify(diffs));
  });
});
