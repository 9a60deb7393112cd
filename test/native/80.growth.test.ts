// No growth in open descriptors or RSS over 100,000 small transfers.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { makeFile, makeTempDir, residentMemoryHidden, runChild } from './helpers';

const temp = makeTempDir();
after(() => temp.cleanup());

interface Report {
  warm: { fds: number; rssMiB: number };
  end: { fds: number; rssMiB: number };
  expected: number;
  received: number;
  methods: Record<string, number>;
  ms: number;
  listeners: number;
}

describe('resource growth', () => {
  for (const [mode, env] of [
    ['sendfile', {}],
    ['streaming', { ZEROCOPY_BINDING: 'none' }],
  ] as const) {
    test(`100,000 small transfers on one socket (${mode}): no descriptor or RSS growth, every byte delivered`, async (t) => {
      const files = [makeFile(temp.dir, 1).path, makeFile(temp.dir, 100).path, makeFile(temp.dir, 4096).path];
      const total = mode === 'sendfile' ? 100_000 : 20_000;
      const child = await runChild('many-small-transfers.js', [String(total), ...files], env, 240_000);
      assert.equal(child.code, 0, child.stderr);
      const report = JSON.parse(child.stdout) as Report;
      assert.equal(report.received, report.expected);
      assert.deepEqual(report.methods, { [mode === 'sendfile' ? 'sendfile' : 'stream']: total });
      assert.equal(report.end.fds, report.warm.fds, `descriptors: ${JSON.stringify(report)}`);
      assert.equal(report.listeners, 0, "no 'close' listeners left on the persistent socket");
      const hidden = residentMemoryHidden();
      if (hidden) return t.skip(`bytes, methods, descriptors and listeners were checked; RSS is not: ${hidden}`);
      assert.ok(report.end.rssMiB - report.warm.rssMiB < 16, `RSS grew from ${report.warm.rssMiB.toFixed(1)} to ${report.end.rssMiB.toFixed(1)} MiB`);
    });
  }
});
