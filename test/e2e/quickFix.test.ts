/**
 * Quick fixes as a person meets them in a real VS Code (code-server): Ctrl+. on a finding lists
 * its fixes with the preferred one first, Enter applies it and the warning goes; the code edit
 * and the package.json edit are one change that one Ctrl+Z undoes; "Fix All" and
 * `editor.codeActionsOnSave` apply every safe fix of a file. What VS Code offers is checked
 * against what the fix engine computes for the same files in this process.
 * Needs `.ci/setup-editors.sh`; without code-server every test fails, saying so.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expectedFixes } from './support/expectedFixes';
import { SessionHandle, type Session } from './support/session';
import { codeActionMenu, type Workbench } from './support/workbench';

const SOURCE = 'zerocopy';
const SUITE_TIMEOUT = 8 * 60_000;
/** The example server's front: its favicon is read whole and sent (read-then-send, with a 404 branch). */
const FILE = 'media-server/src/server.js';
const PACKAGE_JSON = 'media-server/package.json';

describe('quick fixes in VS Code', { timeout: SUITE_TIMEOUT }, () => {
  const handle = new SessionHandle();
  let session: Session;
  let wb: Workbench;
  let original: string;
  let preferredTitle: string;
  let fixedLine: RegExp;
  let findingAt: { line: number; column: number };
  /** Findings the status bar counts in other files. */
  let base: number;

  before(async () => {
    session = await handle.start(
      {
        trusted: true,
        folderName: 'quick-fix-examples',
        settings: {
          'editor.codeActionsOnSave': { 'source.fixAll.zerocopy': 'explicit' },
          // Offline, package.json's schema cannot be fetched: that would be a problem of its own in the panel.
          'json.schemaDownload.enable': false,
        },
      },
      'e2e-quick-fix',
    );
    wb = session.workbench;
    original = readFileSync(join(session.folder, FILE), 'utf8');
    const offers = expectedFixes(join(session.folder, FILE));
    const fixable = offers.find((o) => o.result.fixes[0]?.preferred);
    assert.ok(fixable, `the fix engine offers a fix in ${FILE}: ${JSON.stringify(offers.map((o) => o.result.noFix))}`);
    preferredTitle = fixable.result.fixes[0]!.title;
    findingAt = { line: fixable.finding.range.start.line + 1, column: fixable.finding.range.start.character + 1 };
    fixedLine = /sendFile\(res,\s/;
  });
  after(async () => {
    if (wb) await wb.screenshot('quick-fix-last').catch(() => undefined);
    await handle.end();
  });

  /**
   * Waits until the file's warnings are `count`: the editor's squiggles (the file's only warnings:
   * TypeScript's own checks are off in these profiles) and the findings the status bar counts
   * (`base` more than the file's). The Problems panel is not read here: it redraws while
   * diagnostics come and go, which is what these tests make happen.
   */
  async function warningsInFile(count: number, what: string): Promise<void> {
    try {
      await wb.page.waitForFunction(
        (n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('.editor-group-container.active .monaco-editor .squiggly-warning').length === n,
        count,
        { timeout: 30_000 },
      );
      await wb.waitForStatus(new RegExp(`: ${base + count} findings? in \\d+ files?$`));
    } catch (error) {
      await wb.screenshot(`quick-fix-warnings-${count}`);
      throw new Error(`waiting for ${what}: ${(error as Error).message}`);
    }
  }

  it('Ctrl+. on a finding lists its fixes, the preferred one first; Enter applies it and the warning goes', async () => {
    await wb.openFile(FILE);
    await wb.openProblems();
    const rows = await wb.waitForProblems(() => wb.problemsOf(FILE, SOURCE), (r) => r.some((row) => row.line === findingAt.line), `the finding on line ${findingAt.line}`);
    const total = Number(/: (\d+) findings? in/.exec(await wb.waitForStatus(/: \d+ findings? in \d+ files?$/))![1]);
    base = total - rows.length;
    await wb.hidePanel();
    await wb.goToLine(findingAt.line, findingAt.column);
    await wb.activeEditor().locator('textarea').focus();
    const menu = codeActionMenu(wb.page);
    // On a busy machine the server may still be analysing the version the editor shows, and it
    // answers no action for a version it has not analysed: VS Code then says "No code actions
    // available". Ask again (30 s at most); the menu must come, with the actions below.
    const deadline = Date.now() + 30_000;
    for (;;) {
      await wb.page.keyboard.press('Control+.');
      const shown = await menu.widget.waitFor({ timeout: 5_000 }).then(() => true, () => false);
      if (shown) break;
      if (Date.now() > deadline) {
        await wb.screenshot('quick-fix-no-menu');
        throw new Error('Ctrl+. showed no code action menu within 30 s');
      }
      await wb.page.keyboard.press('Escape');
    }
    await menu.action(preferredTitle).waitFor();
    await menu.action('Disable `read-then-send` for this line').waitFor();
    await menu.action("Show the docs of zerocopy's `read-then-send` rule").waitFor();
    assert.match((await menu.focused.innerText()).trim(), new RegExp(`^${escape(preferredTitle)}`), 'the preferred fix is the one Enter applies');
    await wb.screenshot('quick-fix-menu');
    await wb.page.keyboard.press('Enter');
    await menu.widget.waitFor({ state: 'hidden' });
    await wb.activeEditor().locator('.view-line', { hasText: fixedLine }).first().waitFor();
    await warningsInFile(0, `no finding left in ${FILE}`);
    await wb.screenshot('quick-fix-applied');
  });

  it('adds zerocopy to package.json in the same change, and one Ctrl+Z undoes both', async () => {
    await wb.openFile(PACKAGE_JSON);
    await wb.activeEditor().locator('.view-line', { hasText: /"zerocopy":\s"\^\d+\.\d+\.\d+"/ }).first().waitFor();
    await wb.openFile(FILE);
    await wb.activeEditor().locator('textarea').focus();
    await wb.page.keyboard.press('Control+Z');
    // VS Code may ask whether to undo in every file the change touched: yes.
    const undoEverywhere = wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Undo in \d+ Files$/ });
    const reverted = wb.activeEditor().locator('.view-line', { hasText: shown("fs.readFile(path.join(config.publicDir, 'favicon.ico'), (err, icon) => {") }).first();
    await undoEverywhere.or(reverted).first().waitFor();
    if (await undoEverywhere.isVisible()) await undoEverywhere.click();
    await reverted.waitFor();
    await warningsInFile(1, `the finding back in ${FILE}`);
    await wb.openFile(PACKAGE_JSON);
    await wb.activeEditor().locator('.view-line', { hasText: shown('"dependencies": {') }).first().waitFor();
    assert.equal(await wb.activeEditor().locator('.view-line', { hasText: '"zerocopy"' }).count(), 0, 'the package.json edit was undone with the code edit');
  });

  it('"Fix All" applies every safe fix of the file', async () => {
    await wb.openFile(FILE);
    await wb.runCommand('Fix All');
    // With one fix-all provider VS Code applies it at once; with several (TypeScript's is one) it asks which.
    const menu = codeActionMenu(wb.page);
    const ours = menu.action('Fix all zero-copy findings in this file');
    const fixed = wb.activeEditor().locator('.view-line', { hasText: fixedLine }).first();
    await ours.or(fixed).first().waitFor();
    if (await ours.isVisible()) {
      await wb.screenshot('quick-fix-all-menu');
      // The menu is driven by the keyboard, as a person does: down to our action, then Enter.
      for (let i = 0; i < 5 && !/Fix all zero-copy findings/.test(await menu.focused.innerText().catch(() => '')); i++) await wb.page.keyboard.press('ArrowDown');
      await wb.page.keyboard.press('Enter');
    }
    await wb.activeEditor().locator('.view-line', { hasText: fixedLine }).first().waitFor();
    await warningsInFile(0, `no finding left in ${FILE} after Fix All`);
    await wb.screenshot('quick-fix-all');
  });

  it('editor.codeActionsOnSave with source.fixAll.zerocopy fixes the file as it is saved', async () => {
    await wb.openFile(FILE);
    await wb.activeEditor().locator('textarea').focus();
    await wb.page.keyboard.press('Control+Z');
    const undoEverywhere = wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Undo in \d+ Files$/ });
    const reverted = wb.activeEditor().locator('.view-line', { hasText: shown("fs.readFile(path.join(config.publicDir, 'favicon.ico'), (err, icon) => {") }).first();
    await undoEverywhere.or(reverted).first().waitFor();
    if (await undoEverywhere.isVisible()) await undoEverywhere.click();
    await reverted.waitFor();
    await warningsInFile(1, `the finding back in ${FILE}`);
    await wb.page.keyboard.press('Control+S');
    await wb.activeEditor().locator('.view-line', { hasText: fixedLine }).first().waitFor();
    await wb.page.locator(`.tabs-container .tab.active[data-resource-name="server.js"]:not(.dirty)`).waitFor();
    const saved = readFileSync(join(session.folder, FILE), 'utf8');
    assert.notEqual(saved, original);
    assert.match(saved, fixedLine);
    await warningsInFile(0, `no finding left in ${FILE} after saving`);
  });
});

/** A line of code as the editor renders it (spaces may be non-breaking). */
function shown(code: string): RegExp {
  return new RegExp(escape(code).replace(/ /g, '\\s'));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
