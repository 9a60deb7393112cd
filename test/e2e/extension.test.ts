/**
 * The extension as a person meets it, in a real VS Code (code-server 4.100.3 = VS Code 1.100.3)
 * driven through Debian's Chromium: the built .vsix installed, the example server opened, and
 * everything checked on screen against what the engine finds in the same files.
 * Needs `.ci/setup-editors.sh`; without code-server every test fails, saying so.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeFile, type Finding } from '../../server/src/engine';
import { findServerProcesses, killProcess, waitForNewServer } from './support/serverProcess';
import { expectedFindings } from './support/expectedFindings';
import { SessionHandle, type Session } from './support/session';
import type { ProblemRow, Workbench } from './support/workbench';

const SOURCE = 'zerocopy';
const SUITE_TIMEOUT = 8 * 60_000;
/** The status item once a server is up and has reported (not "starting", not "stopped"). */
const READY = /^Zero-Copy Advisor: (\d+ findings? in \d+ files?|no file-to-socket copies found)$/;

/** What the Problems panel shows for a finding: 1-based line and column. */
function rowOf(f: Finding): Pick<ProblemRow, 'line' | 'column'> {
  return { line: f.range.start.line + 1, column: f.range.start.character + 1 };
}
function positions(rows: readonly Pick<ProblemRow, 'line' | 'column'>[]): string[] {
  return rows.map((r) => `${r.line}:${r.column}`).sort();
}
function total(byFile: Map<string, unknown[]>): number {
  return [...byFile.values()].reduce((n, list) => n + list.length, 0);
}
function sameCounts(a: Map<string, number>, b: Map<string, number>): boolean {
  return a.size === b.size && [...b].every(([file, n]) => a.get(file) === n);
}

describe('the extension in VS Code, trusted folder', { timeout: SUITE_TIMEOUT }, () => {
  const handle = new SessionHandle();
  let session: Session;
  let wb: Workbench;
  let expected: Map<string, Finding[]>;
  /** The file with the most findings: the one a person opens first. */
  let busiest: string;

  before(async () => {
    session = await handle.start({ trusted: true });
    wb = session.workbench;
    expected = expectedFindings(session.folder);
    assert.ok(expected.size >= 2, `the example server should have findings in several files; the engine finds ${JSON.stringify([...expected.keys()])}`);
    busiest = [...expected.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))[0]![0];
  });
  after(async () => {
    if (wb) await wb.screenshot('trusted-last').catch(() => undefined);
    await handle.end();
  });

  it('shows an opened file\'s findings in the Problems panel and underlined in the editor', async () => {
    await wb.openFile(busiest);
    await wb.openProblems();
    const want = expected.get(busiest)!;
    const shown = await wb.waitForProblems(() => wb.problemsOf(busiest, SOURCE), (rows) => rows.length === want.length, `${want.length} findings in ${busiest}`);
    assert.deepEqual(positions(shown), positions(want.map(rowOf)));
    for (const row of shown) assert.equal(row.severity, 'Warning');
    // Each finding is a squiggle in the editor (warnings by default).
    await wb.activeEditor().locator('.squiggly-warning').first().waitFor();
    assert.ok((await wb.activeEditor().locator('.squiggly-warning').count()) >= 1);
    await wb.waitForStatus(/: \d+ findings? in \d+ files?$/);
    await wb.screenshot('problems-and-squiggles');
  });

  it('says what the zerocopy runtime can do on this machine: in the output at start, and in the status bar tooltip', async () => {
    const here = `${process.platform}-${process.arch}`;
    // The output channel, as a person opens it: the line the client logged once the server answered.
    await wb.runCommand('Output: Show Output Channels');
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Zero-Copy Advisor' }).first().click();
    await wb.page.locator('.part.panel .view-line', { hasText: `zerocopy runtime on ${here}` }).first().waitFor({ timeout: 60_000 });
    // The output wraps long lines: read the lines top to bottom, joined (Monaco draws spaces as no-break spaces).
    const shown = await wb.page.locator('.part.panel .view-line').evaluateAll((els) =>
      els
        .map((e) => ({ top: parseFloat((e as unknown as { style: { top: string } }).style.top), text: e.textContent ?? '' }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text)
        .join(''),
    );
    assert.match(shown.replace(/\u00a0/g, ' '), new RegExp(`zerocopy runtime on ${here} \\(Node v[\\d.]+\\): sendfile and mmap available, SIGBUS guard on; addon \\S+/prebuilds/${here}/zerocopy\\.glibc\\.node`));
    await wb.screenshot('runtime-output');
    await wb.hidePanel();
    // The status bar item's tooltip, by hovering it.
    await wb.statusItem().hover();
    const tooltip = wb.page.locator('.workbench-hover, .monaco-hover', { hasText: `Runtime on ${here}` }).first();
    await tooltip.waitFor();
    assert.match(await tooltip.innerText(), new RegExp(`Runtime on ${here}: sendfile and mmap available`));
    await wb.screenshot('runtime-tooltip');
    await wb.page.mouse.move(700, 400);
  });

  it('explains a finding in its hover: the copy path in numbers', async () => {
    const first = expected.get(busiest)![0]!;
    const { line, column } = rowOf(first);
    await wb.hidePanel();
    await wb.goToLine(line, column);
    // The server's hover (not only the diagnostic's message): copies and syscalls per chunk, today and after.
    const text = await wb.hoverAtCursor(/JS heap held per request/);
    assert.match(text, /per chunk\s+copies\s+on the CPU\s+syscalls/);
    assert.match(text, /today:/);
    assert.match(text, new RegExp(`after ${first.recommendation}:`));
    assert.match(text, new RegExp(`Zero-Copy Advisor: ${first.rule}`));
    await wb.screenshot('hover');
    // The table is below the diagnostic's part: focus the hover and scroll to its end, as a reader would.
    await wb.scrollHoverToEnd();
    await wb.screenshot('hover-numbers');
    await wb.page.keyboard.press('Escape');
  });

  it('runs "Analyse Workspace" from the command palette and shows every file\'s findings', async () => {
    await wb.openProblems();
    await wb.runCommand('Zero-Copy: Analyse Workspace');
    await wb.notification(/Zero-Copy: Analysed \d+ files/).waitFor({ timeout: 120_000 });
    const want = total(expected);
    // Every file with findings is listed, with its count (the panel's files, collapsed).
    const wantCounts = new Map([...expected].map(([file, findings]) => [file, findings.length]));
    const files = await wb.waitForProblems(() => wb.problemFiles(), (m) => sameCounts(m, wantCounts), `${want} findings across ${expected.size} files`);
    assert.deepEqual([...files.keys()].sort(), [...expected.keys()].sort());
    assert.match((await wb.page.locator('.panel [aria-label^="Problems (Ctrl+Shift+M)"]').first().getAttribute('aria-label')) ?? '', new RegExp(`Total ${want} Problems`));
    await wb.screenshot('analyse-workspace');
    // And each file's findings sit where the engine puts them.
    for (const [file, findings] of expected) {
      assert.deepEqual(positions(await wb.problemsOf(file, SOURCE)), positions(findings.map(rowOf)), `findings of ${file}`);
    }
    await wb.waitForStatus(new RegExp(`: ${want} findings? in ${expected.size} files?$`));
    assert.equal((await wb.statusItem().innerText()).trim(), `Zero-Copy: ${want}`);
  });

  it('moves findings with an edit, and drops the one a comment suppresses', async () => {
    const want = expected.get(busiest)!.map(rowOf);
    await wb.openFile(busiest);
    // Three new lines at the top of the file, unsaved: every finding moves down by three.
    await wb.goToLine(1, 1);
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.press('Enter');
    const moved = want.map((p) => ({ line: p.line + 3, column: p.column }));
    await wb.waitForProblems(() => wb.problemsOf(busiest, SOURCE), (rows) => sameSet(positions(rows), positions(moved)), `the findings of ${busiest} three lines lower`);

    // A suppression comment on a line of its own above the first finding: it disappears, the others stay (one line lower).
    const target = moved[0]!;
    await wb.goToLine(target.line, 1);
    await wb.page.keyboard.press('Enter'); // an empty line above; the code moves down untouched
    await wb.page.keyboard.press('ArrowUp');
    await wb.page.keyboard.type('// zerocopy-disable-next-line');
    const sourceLine = readFileSync(join(session.folder, busiest), 'utf8').split('\n')[target.line - 4]!.trim();
    await wb.activeEditor().locator('.view-line').filter({ hasText: /zerocopy-disable-next-line$/ }).waitFor();
    assert.ok(await wb.editorShowsLine(sourceLine), `the code line is still there, not commented out: ${sourceLine}`);
    const remaining = moved.slice(1).map((p) => ({ line: p.line + (p.line >= target.line ? 1 : 0), column: p.column }));
    await wb.waitForProblems(() => wb.problemsOf(busiest, SOURCE), (rows) => sameSet(positions(rows), positions(remaining)), `${remaining.length} findings left in ${busiest}`);
    await wb.screenshot('edited');
  });

  it('lists the rules under "Show Rule Docs" and opens the chosen page', async () => {
    await wb.runCommand('Zero-Copy: Show Rule Docs');
    const rows = wb.page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'read-then-send' }).waitFor();
    const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    for (const rule of ['read-then-send', 'stream-to-socket', 'read-loop-to-socket', 'inspect-then-send', 'file-to-file']) {
      assert.ok(labels.some((l) => l.startsWith(rule)), `${rule} is offered: ${JSON.stringify(labels)}`);
    }
    await rows.filter({ hasText: 'stream-to-socket' }).first().click();
    await wb.page.locator('.tabs-container .tab', { hasText: 'Preview stream-to-socket.md' }).waitFor();
    await wb.screenshot('rule-docs');
  });

  it('restarts a language server that died, and says so once', async () => {
    const before = findServerProcesses(session.profile.extensionsDir);
    assert.equal(before.length, 1, `one language server runs: ${JSON.stringify(before)}`);
    killProcess(before[0]!);
    const second = await waitForNewServer(session.profile.extensionsDir, before);
    await wb.notification('the language server stopped unexpectedly and was restarted').waitFor();
    await wb.waitForStatus(READY);

    killProcess(second);
    await waitForNewServer(session.profile.extensionsDir, [second]);
    await wb.waitForStatus(READY);
    await wb.runCommand('Notifications: Show Notifications');
    const center = wb.page.locator('.notifications-center');
    await center.waitFor();
    const said = center.locator('.notification-list-item', { hasText: 'stopped unexpectedly' });
    assert.equal(await said.count(), 1, 'the restart is announced once, not once per crash');
    await wb.screenshot('restarted');
    await wb.page.keyboard.press('Escape');
  });
});

/**
 * A file over the default size limit (2,000,000 bytes) with one finding, and the repository's own
 * settings raising the limit: what a hostile repository would do to make the server read a huge file.
 */
const BIG_FILE = 'restricted/big.js';
/** A small file with a finding, opened after the big one: its squiggle says the big one was dealt with. */
const SMALL_FILE = 'restricted/small.js';
const BIG_TEXT =
  [
    "const http = require('http');",
    "const fs = require('fs');",
    'http.createServer((req, res) => {',
    "  fs.readFile('./index.html', (err, data) => res.end(data));",
    '}).listen(8080);',
    '',
  ].join('\n') + ('// ' + 'filler '.repeat(10) + '\n').repeat(31_000);

describe('the extension in VS Code, untrusted folder (Restricted Mode)', { timeout: SUITE_TIMEOUT }, () => {
  const handle = new SessionHandle();
  let wb: Workbench;
  let expected: Map<string, Finding[]>;

  before(async () => {
    const session = await handle.start({
      trusted: false,
      folderName: 'untrusted-examples',
      extraFiles: {
        '.vscode/settings.json': JSON.stringify({ 'zerocopy.maxFileSize': 100_000_000 }),
        [BIG_FILE]: BIG_TEXT,
        [SMALL_FILE]: BIG_TEXT.slice(0, BIG_TEXT.indexOf('//')),
      },
    });
    wb = session.workbench;
    expected = expectedFindings(session.folder);
    assert.ok(expected.size >= 1, 'the example server has findings');
    assert.ok(!expected.has(BIG_FILE), 'over the default limit, the engine skips the big file');
  });
  after(async () => {
    if (wb) await wb.screenshot('untrusted-last').catch(() => undefined);
    await handle.end();
  });

  it('opens in Restricted Mode and still shows the findings', async () => {
    await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor();
    const [file, findings] = [...expected.entries()][0]!;
    await wb.openFile(file);
    await wb.openProblems();
    const shown = await wb.waitForProblems(() => wb.problemsOf(file, SOURCE), (rows) => rows.length === findings.length, `${findings.length} findings in ${file}`);
    assert.deepEqual(positions(shown), positions(findings.map(rowOf)));
    await wb.waitForStatus(/: \d+ findings? in \d+ files?$/);
    await wb.screenshot('untrusted-problems');
  });

  it("does not let the folder's settings raise the size limit until the folder is trusted", async () => {
    // The big file, kept open (not a preview tab another file would replace).
    await wb.openFile(BIG_FILE);
    await wb.page.locator('.tabs-container .tab[data-resource-name="big.js"]').dblclick(); // a double-click keeps a preview tab
    await wb.page.locator('.tabs-container .tab[data-resource-name="big.js"]:not(.preview)').waitFor();
    // Documents are analysed in the order they are opened: once the small file's finding is
    // underlined, the big one has been dealt with before it.
    await wb.openFile(SMALL_FILE);
    await wb.activeEditor().locator('.squiggly-warning').first().waitFor();
    await wb.page.locator('.tabs-container .tab[data-resource-name="big.js"]').click();
    await wb.page.locator('.tabs-container .tab.active[data-resource-name="big.js"]').waitFor();
    await wb.activeEditor().locator('.view-lines').waitFor();
    assert.ok(await wb.editorShowsLine("http.createServer((req, res) => {"), 'the big file is shown from its first lines');
    assert.equal(await wb.activeEditor().locator('.squiggly-warning').count(), 0, 'Restricted Mode: the big file is skipped at the default limit');
    await wb.screenshot('untrusted-big-file-skipped');

    // The person trusts the folder: the folder's limit applies now (the server is told: while the
    // folder was untrusted it limited the setting itself), and the big file's finding is underlined.
    await wb.runCommand('Workspaces: Manage Workspace Trust');
    await wb.page.locator('.workspace-trust-editor .workspace-trust-buttons-row .monaco-button', { hasText: /^Trust$/ }).first().click();
    await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ state: 'detached' });
    await wb.page.locator('.tabs-container .tab[data-resource-name="big.js"]').click();
    await wb.page.locator('.tabs-container .tab.active[data-resource-name="big.js"]').waitFor();
    await wb.activeEditor().locator('.squiggly-warning').first().waitFor({ timeout: 120_000 });
    assert.equal(analyzeFile(BIG_FILE, BIG_TEXT, { maxFileSize: 100_000_000 }).findings.length, 1);
    await wb.screenshot('trusted-big-file-analysed');
  });
});

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
