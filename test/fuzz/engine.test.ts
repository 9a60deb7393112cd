/**
 * Fuzzing the engine: random text (bytes and JavaScript token soup), real code cut at random
 * points, and sequences of random edits analysed incrementally, each against `analyzeFile` with a
 * project whose other files are random cuts of real code. 0 exceptions and 0 hangs: a hang is a
 * case still running after HANG_MS (a failure detector, not a timing assertion). The seed is
 * printed; `ZC_FUZZ_SEED=<seed> ZC_FUZZ_CASE=<case>` runs one case again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fuzzSeed, onlyCase } from './support/random';

const CASES = Number(process.env.ZC_FUZZ_ENGINE_CASES ?? 120);
const HANG_MS = 60_000;

interface Report {
  case: number;
  state: 'start' | 'ok' | 'error';
  kind?: string;
  error?: string;
}

test('engine fuzz: random text, truncated real code and random edit sequences neither throw nor hang', async (t) => {
  const seed = fuzzSeed();
  const only = onlyCase();
  const [first, count] = only === undefined ? [0, CASES] : [only, 1];
  t.diagnostic(`seed ${seed}: cases ${first}..${first + count - 1} (ZC_FUZZ_SEED=${seed} ZC_FUZZ_CASE=<n> reruns one)`);
  const child = spawn(process.execPath, [join(__dirname, 'children', 'engine-cases.js'), String(seed), String(first), String(count)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const failures: string[] = [];
  const kinds = new Map<string, number>();
  let running: number | undefined;
  let hung = false;
  let timer = setTimeout(() => undefined, 0);
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, HANG_MS);
  };
  arm();
  for await (const line of createInterface({ input: child.stdout })) {
    const report = JSON.parse(line) as Report;
    arm();
    if (report.state === 'start') running = report.case;
    else {
      running = undefined;
      if (report.state === 'error') failures.push(`case ${report.case} (ZC_FUZZ_SEED=${seed} ZC_FUZZ_CASE=${report.case}) threw:\n${report.error}`);
      else kinds.set(report.kind!, (kinds.get(report.kind!) ?? 0) + 1);
    }
  }
  const code = await new Promise<number | null>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.on('close', resolve)));
  clearTimeout(timer);
  t.diagnostic(`cases by kind: ${JSON.stringify(Object.fromEntries(kinds))}`);
  assert.ok(!hung, `case ${running} (ZC_FUZZ_SEED=${seed} ZC_FUZZ_CASE=${running}) did not finish within ${HANG_MS} ms: a hang`);
  assert.deepEqual(failures, [], `seed ${seed}`);
  assert.equal(code, 0, `the fuzz child died (seed ${seed}, during case ${running}):\n${stderr}`);
  assert.equal([...kinds.values()].reduce((a, b) => a + b, 0), count);
});
