/**
 * Extraction, as data (fixtures/slices.ts): the engine finds the finding in real files, the slicer
 * cuts the code down and binds it, the emitter writes the harness. Each case checks the server,
 * the entry, what is bound, kept, dropped (and why) and assumed, or why it is refused; every
 * harness must be a module Node accepts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { runCheck } from '../../server/src/cli/check';
import { emitHarness } from '../../server/src/bench/harness/emit';
import { locate } from '../../server/src/bench/slice/locate';
import { ModuleGraph } from '../../server/src/bench/slice/modules';
import { sliceTransfer } from '../../server/src/bench/slice/slice';
import { tempProject } from '../lsp/support/tempProject';
import { SLICE_CASES } from './fixtures/slices';

const MARKER = '// <- finding';

for (const c of SLICE_CASES) {
  test(c.name, async (t) => {
    const p = tempProject(c.files);
    t.after(() => p.remove());
    const at = c.at ?? Object.keys(c.files)[0]!;
    const line = c.files[at]!.split('\n').findIndex((l) => l.includes(MARKER));
    assert.ok(line >= 0, `the case marks its finding in ${at}`);
    const report = await runCheck({ paths: [p.root], maxFileSize: 2_000_000, cwd: p.root });
    const finding = report.findings.find((f) => f.fileName === p.path(at) && f.range.start.line === line);
    assert.ok(finding, `a finding at ${at}:${line + 1} (found: ${report.findings.map((f) => `${f.fileName}:${f.range.start.line + 1}`).join(', ')})`);

    const getText = (fileName: string): string | undefined => {
      try {
        return readFileSync(fileName, 'utf8');
      } catch {
        return undefined;
      }
    };
    const located = locate(finding, new ModuleGraph(getText, () => false));
    const sliced = located.ok ? sliceTransfer(located.anchors, getText, p.root) : located;
    if ('refused' in c.expect) {
      assert.equal(sliced.ok, false, 'refused');
      assert.match((sliced as { reason: string }).reason, c.expect.refused);
      return;
    }
    assert.ok(sliced.ok, `sliced, not refused: ${(sliced as { reason?: string }).reason}`);
    const slice = sliced.slice;
    const expect = c.expect;
    assert.equal(slice.server, expect.server);
    assert.equal(slice.entry.kind, expect.entry);
    const boundNames = slice.bound.map((b) => b.name);
    for (const name of expect.bound) assert.ok(boundNames.some((b) => b === name || b.startsWith(`${name} `)), `bound ${name} (bound: ${boundNames.join('; ')})`);
    assert.equal(slice.bound.filter((b) => b.to === 'the generated file').length, 1, 'the file is bound once');

    const harness = emitHarness(slice, c.name).source;
    for (const text of expect.kept) assert.ok(harness.includes(text), `kept: ${text}\n--- harness ---\n${harness}`);
    for (const text of expect.notKept ?? []) assert.ok(!harness.includes(text), `not kept: ${text}\n--- harness ---\n${harness}`);
    const dropped = slice.dropped.map((d) => `${d.text} — ${d.reason}`);
    for (const d of expect.dropped ?? []) {
      const found = slice.dropped.find((x) => x.text.includes(d.text));
      assert.ok(found, `dropped: ${d.text} (dropped: ${dropped.join(' | ')})`);
      assert.match(found.reason, d.reason);
      assert.ok(found.line > 0 && found.file.length > 0);
    }
    assert.equal(slice.dropped.length, (expect.dropped ?? []).length, `exactly the statements expected are dropped: ${dropped.join(' | ')}`);
    assert.deepEqual(slice.assumed, expect.assumed ?? []);

    // Node accepts the module (syntax; nothing runs).
    const file = p.write('harness.mjs', harness);
    writeFileSync(file, harness);
    const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
    assert.equal(check.status, 0, `${check.stderr}\n--- harness ---\n${harness}`);
  });
}
