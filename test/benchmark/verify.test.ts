/**
 * Bytes are verified at the receiver before anything is timed: variants that send other bytes
 * than the code as written — one byte flipped, half the file, nothing at all — are reported
 * wrong, with what they sent, and not timed; the others are measured. When the code as written
 * itself sends wrong bytes, there is nothing to compare with: the benchmark says why it cannot run.
 * Real serving processes, a real load client, real sockets on 127.0.0.1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REFERENCES, referenceHarness } from '../../server/src/bench/harness/references';
import { createRunDir, removeRunDir } from '../../server/src/bench/run/runDir';
import { Unrunnable, sweep, type VariantPlan } from '../../server/src/bench/run/sweep';

/** A harness module like the generated ones, whose handler is `body` (with `file`, `res`). */
function harness(body: string): string {
  return [
    "import { readFile } from 'node:fs';",
    "let __zcFile = '';",
    'export function setFile(path) { __zcFile = path; }',
    `export const entry = (req, res) => { const file = __zcFile; ${body} };`,
    '',
  ].join('\n');
}

const GOOD = referenceHarness(REFERENCES.find((r) => r.name === 'readFile + write')!, 'http').source;
const FLIPPED = harness('readFile(file, (e, body) => { body[body.length >> 1] ^= 1; res.end(body); });');
const HALF = harness('readFile(file, (e, body) => res.end(body.subarray(0, body.length >> 1)));');
const NOT_FOUND = harness('res.statusCode = 404; res.end();');
const THROWS = harness("throw new TypeError('res.send is not a function');");

function options(dir: string) {
  return {
    dir,
    server: 'http' as const,
    frameworkPath: undefined,
    runtimePath: require.resolve('zerocopy'),
    sizes: [64 << 10],
    concurrency: [1],
    timeBudgetMs: 1500,
    signal: new AbortController().signal,
    progress: () => undefined,
  };
}

test('variants that send other bytes are wrong and not timed; the right ones are measured', { timeout: 120_000 }, async (t) => {
  const dir = createRunDir();
  t.after(() => removeRunDir(dir));
  const plans: VariantPlan[] = [
    { name: 'as written', kind: 'as-written', source: GOOD, holdsWholeFile: true },
    { name: 'flips a byte', kind: 'fix', source: FLIPPED, holdsWholeFile: true },
    { name: 'sends half', kind: 'fix', source: HALF, holdsWholeFile: true },
    { name: 'answers 404', kind: 'fix', source: NOT_FOUND, holdsWholeFile: false },
    { name: 'throws', kind: 'fix', source: THROWS, holdsWholeFile: false },
    { name: 'the same', kind: 'fix', source: GOOD, holdsWholeFile: true },
  ];
  const result = await sweep(plans, options(dir));
  assert.match(result.wrong.get('flips a byte') ?? '', /it sent 65536 bytes that start as the file's \(offset 0\) and then differ, not what the code as written sends/);
  assert.match(result.wrong.get('sends half') ?? '', /it sent 32768 bytes of the file from offset 0, not what the code as written sends \(65536 bytes from offset 0\)/);
  assert.match(result.wrong.get('answers 404') ?? '', /the server answered 404, not the file/);
  assert.match(result.wrong.get('throws') ?? '', /threw TypeError: res\.send is not a function/);
  for (const name of ['flips a byte', 'sends half', 'answers 404', 'throws']) assert.deepEqual(result.points.get(name), [], `${name} is not timed`);
  for (const name of ['as written', 'the same']) {
    assert.equal(result.wrong.has(name), false, name);
    const points = result.points.get(name)!;
    assert.ok(points.length >= 1 && points.every((p) => p.verified), `${name} is measured`);
  }
});

test('a byte range sent as written is what the fixes must send too; the whole file is not', { timeout: 120_000 }, async (t) => {
  const dir = createRunDir();
  t.after(() => removeRunDir(dir));
  const RANGE = harness('readFile(file, (e, body) => res.end(body.subarray(1000, 5000)));');
  const result = await sweep(
    [
      { name: 'as written', kind: 'as-written', source: RANGE, holdsWholeFile: true },
      { name: 'whole file', kind: 'fix', source: GOOD, holdsWholeFile: true },
      { name: 'same range', kind: 'fix', source: RANGE, holdsWholeFile: true },
    ],
    options(dir),
  );
  assert.match(result.wrong.get('whole file') ?? '', /it sent 65536 bytes of the file from offset 0, not what the code as written sends \(4000 bytes from offset 1000\)/);
  assert.equal(result.wrong.has('same range'), false);
});

test('the code as written sending wrong bytes: the benchmark cannot run, and says what it sent', { timeout: 120_000 }, async (t) => {
  const dir = createRunDir();
  t.after(() => removeRunDir(dir));
  await assert.rejects(
    sweep([{ name: 'as written', kind: 'as-written', source: FLIPPED, holdsWholeFile: true }, { name: 'ref', kind: 'reference', source: GOOD, holdsWholeFile: true }], options(dir)),
    (error: unknown) => error instanceof Unrunnable && /as written, with the 64 KiB file, it sent 65536 bytes that start as the file's .* and then differ, not the file's 65536 bytes/.test(error.message),
  );
});
