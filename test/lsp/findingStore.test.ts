import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingStore } from '../../server/src/lsp/findingStore';
import { finding, range } from './support/findings';

const A = '/p/a.js';
const B = '/p/b.js';

test('what a file publishes is the union of what every analysed file put in it', () => {
  const store = new FindingStore();
  const own = finding({ fileName: B, at: range(1, 0, 5) });
  const fromA = finding({ fileName: B, at: range(7, 2, 9), sinkFile: A });
  assert.deepEqual([...store.set(B, [own])].sort(), [B]);
  assert.deepEqual([...store.set(A, [fromA])].sort(), [A, B]);
  assert.deepEqual(store.findingsIn(B), [own, fromA]);
  assert.deepEqual(store.findingsIn(A), []);
  assert.deepEqual(store.contributorsTo(B), [A]);
  assert.deepEqual(store.totals(), { findings: 2, files: 1, incomplete: 0 });
});

test('the same flow reported by two analysed files appears once', () => {
  const store = new FindingStore();
  store.set(A, [finding({ fileName: B, sinkFile: A })]);
  store.set(B, [finding({ fileName: B, sinkFile: A })]);
  assert.equal(store.findingsIn(B).length, 1);
});

test('findings come out in document order whatever order they went in', () => {
  const store = new FindingStore();
  const late = finding({ fileName: A, at: range(9, 0, 4) });
  const early = finding({ fileName: A, at: range(2, 0, 4) });
  store.set(A, [late, early]);
  assert.deepEqual(store.findingsIn(A), [early, late]);
});

test('re-analysing replaces, and reports the files that lost findings as affected', () => {
  const store = new FindingStore();
  store.set(A, [finding({ fileName: B, sinkFile: A })]);
  const affected = store.set(A, []);
  assert.deepEqual([...affected].sort(), [A, B]);
  assert.deepEqual(store.findingsIn(B), []);
  assert.deepEqual(store.totals(), { findings: 0, files: 0, incomplete: 0 });
});

test('clear forgets one analysed file only', () => {
  const store = new FindingStore();
  store.set(A, [finding({ fileName: A })]);
  store.set(B, [finding({ fileName: B })]);
  assert.deepEqual([...store.clear(A)], [A]);
  assert.equal(store.findingsIn(A).length, 0);
  assert.equal(store.findingsIn(B).length, 1);
});

test("forgetFindingsIn drops others' findings in a file whose text changed, keeps its own and theirs elsewhere", () => {
  const store = new FindingStore();
  const ownInB = finding({ fileName: B, at: range(1, 0, 5) });
  const aInB = finding({ fileName: B, at: range(5, 0, 5), sinkFile: A });
  const aInA = finding({ fileName: A, at: range(2, 0, 5) });
  store.set(B, [ownInB]);
  store.set(A, [aInB, aInA]);
  assert.deepEqual(store.forgetFindingsIn(B), [A]);
  assert.deepEqual(store.findingsIn(B), [ownInB]);
  assert.deepEqual(store.findingsIn(A), [aInA]);
  assert.deepEqual(store.contributorsTo(B), []);
});
