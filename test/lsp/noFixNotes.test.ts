/**
 * The "no quick fix, because …" notes: never computed in the publish after an edit, computed once
 * the document rests, published again only when a finding gained a note, and never for a version
 * the findings are not those of.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNoFixNotes } from '../../server/src/lsp/noFixNotes';
import { finding, range } from './support/findings';

const FILE = '/p/a.js';
const A = finding({ fileName: FILE, at: range(2, 2, 13) });
const B = finding({ fileName: FILE, at: range(6, 2, 13) });

function setup(reasons: Map<string, string | undefined>) {
  const document = { version: 1, getText: () => 'text' };
  let analysed = 1;
  const asked: string[] = [];
  const republished: string[] = [];
  let onRepublish = () => {};
  const notes = createNoFixNotes({
    document: (f) => (f === FILE ? document : undefined),
    findingsAt: (f, v) => (f === FILE && v === analysed ? [A, B] : undefined),
    noFix: (_f, _t, x) => {
      asked.push(`${x.range.start.line}@${document.version}`);
      return reasons.get(`${x.range.start.line}`);
    },
    republish: (f) => {
      republished.push(`${f}@${document.version}`);
      onRepublish();
    },
    restMs: 1,
  });
  const nextRepublish = () => new Promise<void>((resolve) => (onRepublish = resolve));
  return { notes, document, asked, republished, nextRepublish, setAnalysed: (v: number) => (analysed = v) };
}

test('nothing is computed in the publish; once the document rests, the notes come in one more publish', async () => {
  const s = setup(new Map([['2', 'the buffer is used after the send']]));
  assert.equal(s.notes.noteFor(FILE, A), undefined);
  const republished = s.nextRepublish();
  s.notes.published([FILE]);
  assert.deepEqual(s.asked, [], 'not computed while publishing');
  await republished;
  assert.deepEqual(s.asked.sort(), ['2@1', '6@1']);
  assert.deepEqual(s.republished, [`${FILE}@1`]);
  assert.equal(s.notes.noteFor(FILE, A), 'the buffer is used after the send');
  assert.equal(s.notes.noteFor(FILE, B), undefined, 'B has a fix');
  // Published again (the republish itself): nothing more to compute for this version.
  s.notes.published([FILE]);
  assert.equal(s.asked.length, 2);
  s.notes.dispose();
});

test('a new version forgets the old notes; a finding with fixes only is not published again', async () => {
  const s = setup(new Map());
  s.document.version = 2;
  s.setAnalysed(2);
  assert.equal(s.notes.noteNow(FILE, A), undefined);
  assert.deepEqual(s.asked, ['2@2'], 'the hover computes one finding, on demand');
  s.notes.published([FILE]);
  // Nothing declined: no republish. Wait for the rest by asking until both findings were computed.
  while (s.asked.length < 2) await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(s.republished, []);
  s.setAnalysed(1);
  s.document.version = 3;
  assert.equal(s.notes.noteNow(FILE, A), undefined, 'no findings for version 3 yet: nothing computed');
  assert.equal(s.asked.length, 2);
  s.notes.dispose();
});
