/**
 * "Benchmark this transfer" as a person meets it, in a real VS Code (code-server): the code lens
 * above the favicon finding of the example server runs the benchmark with a progress
 * notification, and the results view shows the charts (drawn) and the table, with the code as
 * written, its sendfile fix and the references; the page's Content Security Policy admits only the
 * extension's own script and stylesheet. In Restricted Mode the lens says benchmarking is off and
 * clicking it explains why.
 * Needs `.ci/setup-editors.sh`; without code-server every test fails, saying so.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from './support/paths';
import { SessionHandle } from './support/session';
import type { Workbench } from './support/workbench';

const FILE = 'media-server/src/server.js';
const SUITE_TIMEOUT = 8 * 60_000;

describe('Benchmark this transfer, trusted folder', { timeout: SUITE_TIMEOUT }, () => {
  const handle = new SessionHandle();
  let wb: Workbench;
  let folder: string;

  before(async () => {
    // The default sweep (64 KiB to 256 MiB, 1 and 16 at once, warm and cold) with room to spare on a busy machine.
    const session = await handle.start({ trusted: true, folderName: 'bench-examples', settings: { 'zerocopy.benchmark.timeoutSeconds': 240 } }, 'e2e-benchmark');
    wb = session.workbench;
    folder = session.folder;
  });
  after(async () => {
    if (wb) await wb.screenshot('benchmark-last').catch(() => undefined);
    await handle.end();
  });

  it('runs from the code lens, shows the charts and the table, and saves the JSON', { timeout: 6 * 60_000 }, async () => {
    await wb.openFile(FILE);
    const lens = wb.activeEditor().locator('.codelens-decoration a', { hasText: 'Benchmark this transfer' });
    await lens.first().waitFor({ timeout: 60_000 });
    await lens.first().click();
    await wb.notification('Zero-Copy: benchmarking the transfer').waitFor();

    // The results view: a webview inside two frames.
    const view = wb.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await view.locator('table#results').waitFor({ timeout: 5 * 60_000 });
    await view.locator('h1', { hasText: 'Benchmark this transfer' }).waitFor();
    const rows = await view.locator('table#results tbody tr').allInnerTexts();
    for (const name of ['as written', 'fix: sendfile', 'sendFile', 'pipeline(createReadStream)', 'mapFile + write', 'readFile + write']) {
      assert.ok(rows.some((r) => r.startsWith(name)), `the table has ${name}: ${rows.slice(0, 8).join(' | ')}`);
    }
    assert.ok(rows.some((r) => /GB\/s|MB\/s/.test(r)), 'throughputs are shown');
    // Each chart was drawn: its canvas has pixels.
    for (const id of ['chart-throughput', 'chart-cpu', 'chart-memory']) {
      // Runs in the page: a canvas (typed loosely here, where there is no DOM library).
      const drawn = await view.locator(`canvas#${id}`).evaluate((canvas: any) => {
        const data: Uint8ClampedArray = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        return canvas.width > 0 && data.some((v: number) => v !== 0);
      });
      assert.ok(drawn, `${id} is drawn`);
    }
    await view.locator('button', { hasText: 'Apply this fix' }).first().waitFor();
    await view.locator('button', { hasText: 'Copy as Markdown' }).waitFor();
    await view.locator('button', { hasText: 'Save JSON' }).waitFor();
    // Strict CSP: nothing but this extension's nonce'd script and its own resources (the webview's
    // resource origin, `webview.cspSource`: 'self' and VS Code's resource host). No other host.
    const csp = (await view.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[^']+'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const sources = csp.split(';').flatMap((directive) => directive.trim().split(/\s+/).slice(1));
    for (const source of sources) assert.match(source, /^('none'|'self'|'nonce-[^']+'|data:|https:\/\/\*\.vscode-cdn\.net)$/, `no remote content: ${source}`);

    await wb.screenshot('benchmark-results');
    // The view on its own, as the README shows it: charts first, then the table.
    await wb.runCommand('View: Maximize Editor Group and Hide Side Bars');
    await view.locator('canvas#chart-throughput').waitFor();
    const shot = await wb.screenshot('benchmark-results-maximized');
    if (process.env.ZC_UPDATE_SCREENSHOTS) copyFileSync(shot, join(REPO_ROOT, 'images', 'screenshot-benchmark.png'));
    await view.locator('table#results').scrollIntoViewIfNeeded();
    await wb.screenshot('benchmark-results-table');

    // "Save JSON": VS Code's save dialog, offering the workspace folder; the report lands there.
    await view.locator('button', { hasText: 'Save JSON' }).click();
    const input = wb.page.locator('.quick-input-widget input.input');
    await input.waitFor();
    // The simple file dialog shows the folder first and fills in the file name once it has listed
    // the folder: wait for the name (10 s at most), then check it.
    const deadline = Date.now() + 10_000;
    let value = await input.inputValue();
    while (!/zerocopy-bench\.json$/.test(value) && Date.now() < deadline) {
      await wb.page.waitForTimeout(100);
      value = await input.inputValue();
    }
    assert.match(value, /zerocopy-bench\.json$/);
    await input.press('Enter');
    await wb.notification(/Zero-Copy: saved .*zerocopy-bench\.json/).waitFor();
    const saved = JSON.parse(readFileSync(join(folder, 'zerocopy-bench.json'), 'utf8')) as { formatVersion: number; finding: { line: number } };
    assert.equal(saved.formatVersion, 1);
    assert.equal(saved.finding.line, 15);
  });
});

describe('Benchmark this transfer, untrusted folder (Restricted Mode)', { timeout: SUITE_TIMEOUT }, () => {
  const handle = new SessionHandle();
  let wb: Workbench;

  before(async () => {
    wb = (await handle.start({ trusted: false, folderName: 'untrusted-bench' }, 'e2e-benchmark')).workbench;
  });
  after(async () => {
    if (wb) await wb.screenshot('benchmark-untrusted-last').catch(() => undefined);
    await handle.end();
  });

  it('the lens says benchmarking is off, and running it explains why', async () => {
    await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor();
    await wb.openFile(FILE);
    const lens = wb.activeEditor().locator('.codelens-decoration a', { hasText: 'Benchmark this transfer: off in Restricted Mode' });
    await lens.first().waitFor({ timeout: 60_000 });
    await lens.first().click();
    await wb.notification('Benchmarking a transfer runs code from this workspace, so it is disabled in Restricted Mode').waitFor();
    await wb.screenshot('benchmark-restricted');
  });
});
