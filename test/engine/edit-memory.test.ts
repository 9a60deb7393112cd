/**
 * What an edit leaves behind must not pile up: one long-lived Project analyses a 2,000-line file
 * at 600 versions (the language server's way), in a child process with `--expose-gc`
 * (children/edit-versions.ts). After a full GC no syntax tree of an earlier version may be alive
 * (WeakRefs tell), and the live heap may not grow with the versions: one tree, or one 90 KB text,
 * held per version would show as tens of megabytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const VERSIONS = 600;
/** Far below what a tree or a text per version would cost over 500 versions, far above the noise (caches filling, JIT code). */
const MOST_GROWTH_MB = 6;

test(`${VERSIONS} versions of an edited file through one Project: earlier versions' trees are collected, the heap stays flat`, () => {
  const child = spawnSync(process.execPath, ['--expose-gc', join(__dirname, 'children', 'edit-versions.js'), String(VERSIONS)], { encoding: 'utf8', timeout: 10 * 60_000 });
  assert.equal(child.status, 0, child.stderr);
  const r = JSON.parse(child.stdout) as { lines: number; findings: number; versions: number; oldTreesAlive: number; heapAfterWarmup: number; heapAtEnd: number };
  assert.ok(r.lines >= 2000 && r.findings > 0, `a 2,000-line file with findings (${r.lines} lines, ${r.findings} findings)`);
  assert.equal(r.versions, VERSIONS);
  assert.equal(r.oldTreesAlive, 0, 'syntax trees of earlier versions still alive');
  const growthMb = (r.heapAtEnd - r.heapAfterWarmup) / 1e6;
  assert.ok(growthMb < MOST_GROWTH_MB, `the live heap grew by ${growthMb.toFixed(1)} MB from version 100 to ${VERSIONS}`);
});
