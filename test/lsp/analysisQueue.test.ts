import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnalysisQueue } from '../../server/src/lsp/analysisQueue';
import { ANALYSIS_DELAY_MS } from '../../server/src/lsp/timing';

function recorder(block?: (fileName: string) => Promise<void>) {
  const calls: string[] = [];
  const errors: string[] = [];
  const queue = new AnalysisQueue(
    async (fileName) => {
      calls.push(fileName);
      if (fileName.startsWith('bad')) throw new Error('boom');
      await block?.(fileName);
    },
    (fileName, error) => errors.push(`${fileName}: ${(error as Error).message}`),
  );
  return { calls, errors, queue };
}

test('the delay before analysing when idle is a few milliseconds, not a debounce timer', () => {
  assert.ok(ANALYSIS_DELAY_MS >= 0 && ANALYSIS_DELAY_MS <= 5, String(ANALYSIS_DELAY_MS));
});

test('requests for a queued file collapse into one run', async () => {
  const { calls, queue } = recorder();
  queue.schedule('a');
  queue.schedule('a');
  queue.schedule('a');
  await queue.whenIdle();
  assert.deepEqual(calls, ['a']);
});

test('a file asked for while it is being analysed runs once more afterwards, however often it was asked', async () => {
  let release!: () => void;
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const { calls, queue } = recorder((fileName) =>
    fileName === 'a' && calls.length === 1 ? (started(), new Promise<void>((resolve) => (release = resolve))) : Promise.resolve(),
  );
  queue.schedule('a');
  await running;
  queue.schedule('a');
  queue.schedule('b');
  queue.schedule('a');
  release();
  await queue.whenIdle();
  assert.deepEqual(calls, ['a', 'a', 'b']);
});

test('urgent files go before background ones; asking urgently for a background file promotes it', async () => {
  const { calls, queue } = recorder();
  queue.schedule('bg1', 'background');
  queue.schedule('x', 'background');
  queue.schedule('u');
  queue.schedule('x', 'urgent');
  queue.schedule('u', 'background'); // already urgent: stays urgent, runs once
  await queue.whenIdle();
  assert.deepEqual(calls, ['u', 'x', 'bg1']);
});

test('an analysis that throws is reported and the queue carries on', async () => {
  const { calls, errors, queue } = recorder();
  queue.schedule('bad.js');
  queue.schedule('good.js');
  await queue.whenIdle();
  assert.deepEqual(calls, ['bad.js', 'good.js']);
  assert.deepEqual(errors, ['bad.js: boom']);
});

test('a cancelled request is not run', async () => {
  const { calls, queue } = recorder();
  queue.schedule('a');
  queue.schedule('b');
  queue.cancel('a');
  await queue.whenIdle();
  assert.deepEqual(calls, ['b']);
  assert.equal(queue.idle, true);
});
