// The runtime benchmark's statistics: the confidence interval it prints for each median ratio.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';

interface Interval {
  low: number;
  high: number;
  coverage: number;
}
type Stats = { medianInterval(values: number[], confidence?: number): Interval };

const statsModule = pathToFileURL(path.join(path.dirname(require.resolve('zerocopy/package.json')), 'bench', 'lib', 'stats.mjs')).href;
// A real dynamic import: TypeScript would turn `import()` into require(), which cannot load .mjs.
const load = new Function('url', 'return import(url)') as (url: string) => Promise<Stats>;

describe('the median ratio confidence interval (order statistics)', () => {
  test('matches the textbook ranks and coverages', async () => {
    const { medianInterval } = await load(statsModule);
    const ranks = (n: number) => medianInterval(Array.from({ length: n }, (_, i) => i + 1));
    // n = 20: the 6th and 15th values, 95.86%; n = 9: 2nd and 8th, 96.09%; n = 11: 2nd and 10th, 98.83%
    // (the 3rd and 9th would cover only 93.46%).
    assert.deepEqual(ranks(20), { low: 6, high: 15, coverage: 1 - (2 * 21700) / 2 ** 20 });
    assert.deepEqual(ranks(9), { low: 2, high: 8, coverage: 1 - (2 * 10) / 2 ** 9 });
    assert.deepEqual(ranks(11), { low: 2, high: 10, coverage: 1 - (2 * 12) / 2 ** 11 });
    // Fewer than 6 rounds never reach 95%: min–max, with what it does cover.
    assert.deepEqual(ranks(5), { low: 1, high: 5, coverage: 1 - 2 / 2 ** 5 });
    // Many rounds do not underflow: n = 2,000 gives ranks near n/2 ∓ 1.96·√n/2.
    const wide = ranks(2000);
    assert.ok(wide.low >= 954 && wide.low <= 957 && wide.high === 2001 - wide.low, JSON.stringify(wide));
    assert.ok(wide.coverage >= 0.95 && wide.coverage < 0.96);
  });

  test('sorts its input and ignores values that are not finite', async () => {
    const { medianInterval } = await load(statsModule);
    assert.deepEqual(medianInterval([5, NaN, 3, 1, 4, 2, Infinity, 6]), { low: 1, high: 6, coverage: 1 - 2 / 2 ** 6 });
  });
});
