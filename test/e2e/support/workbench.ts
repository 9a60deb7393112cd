/**
 * Drives the VS Code workbench in Debian's Chromium the way a person does: clicks in the
 * Explorer, keyboard shortcuts, the command palette (F1), the Problems panel, hovers.
 * Every step waits on what appears on screen, never on a fixed delay.
 */
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { findChromium } from './codeServer';

/** `<publisher>.<name>.<item id>`, as the workbench names a contributed status bar item. */
const STATUS_ITEM_ID = 'zerocopy.zero-copy-advisor.zerocopy.status';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** One problem as the Problems panel shows it (1-based line and column, like the panel). */
export interface ProblemRow {
  severity: string;
  message: string;
  line: number;
  column: number;
  source: string;
}

export class Workbench {
  private constructor(
    private readonly browser: Browser,
    readonly page: Page,
    private readonly artifacts: string,
  ) {}

  static async open(serverUrl: string, folder: string, artifacts: string): Promise<Workbench> {
    // playwright-core kills the browsers it launched when this process exits, even on a failure.
    const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // A wait only lasts this long when something is wrong; on a machine at a load of 15 a cold
    // explorer row took over 30 s to show, so the bound is generous.
    page.setDefaultTimeout(60_000);
    const workbench = new Workbench(browser, page, artifacts);
    await page.goto(`${serverUrl}?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor();
    await page.locator('.explorer-folders-view .monaco-list').waitFor();
    return workbench;
  }

  async screenshot(name: string): Promise<string> {
    const path = join(this.artifacts, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  /** Opens a file by clicking its row in the Explorer, expanding its folders first. */
  async openFile(relativePath: string): Promise<void> {
    const parts = relativePath.split('/');
    for (let depth = 0; depth < parts.length; depth++) {
      const row = this.explorerRow(parts[depth]!, depth);
      if (depth < parts.length - 1) {
        if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
        await row.and(this.page.locator('[aria-expanded="true"]')).waitFor();
      } else {
        await row.click();
      }
    }
    const name = parts[parts.length - 1]!;
    await this.page.locator(`.tabs-container .tab.active[data-resource-name="${name}"]`).waitFor();
    await this.activeEditor().locator('.view-lines').waitFor();
  }

  private explorerRow(name: string, depth: number): Locator {
    // aria-level is 1 for the workspace folder's children in a single-folder workspace.
    return this.page.locator(`.explorer-folders-view .monaco-list-row[aria-level="${depth + 1}"]`).filter({
      has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }),
    });
  }

  activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Whether the active editor shows a line whose text (trimmed) is exactly `text`. */
  async editorShowsLine(text: string): Promise<boolean> {
    const lines = await this.activeEditor()
      .locator('.view-line')
      .evaluateAll((els) => els.map((e) => (e.textContent ?? '').replace(/\u00a0/g, ' ').trim()));
    return lines.includes(text);
  }

  /** Runs a command from the command palette (F1), by the title shown there. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input.input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor();
    await row.click();
  }

  /** Moves the cursor with "Go to Line/Column" (1-based, as a person types it). */
  async goToLine(line: number, column: number): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input.input');
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
    await this.page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).waitFor();
  }

  /** Shows the hover at the cursor (Ctrl+K Ctrl+I) and returns its text once `expected` is in it. */
  /** Focuses the visible hover (Ctrl+K Ctrl+I again) and scrolls it to its end (End). */
  async scrollHoverToEnd(): Promise<void> {
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+I');
    const hover = this.page.locator('.monaco-hover:not(.hidden)').first();
    await hover.locator(':focus').or(hover.and(this.page.locator(':focus'))).first().waitFor();
    await this.page.keyboard.press('End');
    const scrollable = hover.locator('.monaco-scrollable-element').first();
    await this.page.waitForFunction(
      (el) => {
        const e = el as unknown as { scrollTop: number; scrollHeight: number; clientHeight: number; querySelector(s: string): unknown };
        const content = e.querySelector('.monaco-hover-content') as { scrollTop: number; scrollHeight: number; clientHeight: number } | null;
        const target = content ?? e;
        return target.scrollHeight <= target.clientHeight || target.scrollTop > 0;
      },
      await scrollable.elementHandle(),
    );
  }

  async hoverAtCursor(expected: RegExp): Promise<string> {
    await this.activeEditor().locator('textarea').focus();
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+I');
    const hover = this.page.locator('.monaco-hover:not(.hidden)', { hasText: expected }).first();
    await hover.waitFor();
    return hover.innerText();
  }

  /** Hides the bottom panel (Problems), to give the editor the whole height. */
  async hidePanel(): Promise<void> {
    if (await this.page.locator('.part.panel').isVisible()) await this.page.keyboard.press('Control+J');
    await this.page.locator('.part.panel').waitFor({ state: 'hidden' });
  }

  async openProblems(): Promise<void> {
    await this.page.keyboard.press('Control+Shift+M');
    await this.page.locator('.markers-panel').waitFor();
  }

  /**
   * The Problems panel's files and how many problems each has, read with every file collapsed:
   * the list is virtual (only rows on screen exist), and collapsed it fits on screen.
   */
  async problemFiles(): Promise<Map<string, number>> {
    await this.collapseProblems();
    const labels = await this.problemRowLabels();
    const files = new Map<string, number>();
    for (const label of labels) {
      const file = parseFileRow(label);
      if (file) files.set(file.path, file.count);
    }
    return files;
  }

  /** The markers of one file from `source`, read with only that file expanded. */
  async problemsOf(path: string, source: string): Promise<ProblemRow[]> {
    await this.collapseProblems();
    const row = this.page.locator('.markers-panel .monaco-list-row[aria-level="1"]').filter({
      has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(path.split('/').pop()!)}$`) }),
    });
    const rows = await row.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    const index = rows.findIndex((label) => parseFileRow(label)?.path === path);
    if (index < 0) return [];
    // Diagnostics arriving after the collapse expand their file's row by themselves: a click then
    // would collapse it again (a race on a busy machine), so only a collapsed row is clicked.
    if ((await row.nth(index).getAttribute('aria-expanded')) !== 'true') await row.nth(index).locator('.monaco-tl-twistie').click();
    await row.nth(index).and(this.page.locator('[aria-expanded="true"]')).waitFor();
    const markers: ProblemRow[] = [];
    let inFile = false;
    for (const label of await this.problemRowLabels()) {
      const file = parseFileRow(label);
      if (file) {
        inFile = file.path === path;
        continue;
      }
      const marker = inFile ? parseMarkerRow(label) : undefined;
      if (marker && marker.source === source) markers.push(marker);
    }
    return markers;
  }

  /**
   * Collapses every file row. Diagnostics arriving just after the click expand their file's row
   * again (a busy machine, or a workspace still being analysed), so the click is repeated until
   * no row stays expanded, for 30 s at most.
   */
  private async collapseProblems(): Promise<void> {
    const expanded = this.page.locator('.markers-panel .monaco-list-row[aria-expanded="true"]').first();
    const deadline = Date.now() + 30_000;
    for (;;) {
      await this.page.locator('.panel .action-label[aria-label="Collapse All"]').first().click();
      try {
        await expanded.waitFor({ state: 'detached', timeout: 2_000 });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  private async problemRowLabels(): Promise<string[]> {
    return this.page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) =>
      rows
        .map((r) => ({ index: Number(r.getAttribute('data-index')), label: r.getAttribute('aria-label') ?? '' }))
        .sort((a, b) => a.index - b.index)
        .map((r) => r.label),
    );
  }

  /**
   * Re-reads the Problems panel until `check` holds: it redraws as diagnostics arrive, so each
   * new read waits for the panel to change (or at most a second, for a change made while reading).
   */
  async waitForProblems<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (check(value)) return value;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for the Problems panel to show ${what}; it shows ${JSON.stringify(value instanceof Map ? [...value] : value)}`);
      }
      await this.page
        .locator('.markers-panel')
        .evaluate((el) => new Promise<void>((done) => {
          // Runs in the page, where the DOM exists (this project's types have no DOM lib).
          const Observer = (globalThis as unknown as { MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void; disconnect(): void } }).MutationObserver;
          const observer = new Observer(() => { observer.disconnect(); done(); });
          observer.observe(el, { subtree: true, childList: true, attributes: true, characterData: true });
          setTimeout(() => { observer.disconnect(); done(); }, 1_000);
        }))
        .catch(() => undefined);
    }
  }

  /** The extension's status bar item. */
  statusItem(): Locator {
    return this.page.locator(`[id="${STATUS_ITEM_ID}"]`);
  }

  /** Waits until the status item's accessible label (what a screen reader says) matches, and returns it. */
  async waitForStatus(label: RegExp, timeoutMs = 30_000): Promise<string> {
    const found = await this.page.waitForFunction(
      ([id, source, flags]) => {
        const text = (globalThis as unknown as { document: { getElementById(i: string): { getAttribute(a: string): string | null } | null } }).document
          .getElementById(id)
          ?.getAttribute('aria-label');
        return text && new RegExp(source, flags).test(text) ? text : undefined;
      },
      [STATUS_ITEM_ID, label.source, label.flags] as const,
      { timeout: timeoutMs },
    );
    return (await found.jsonValue()) as string;
  }

  notification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  }
}

/** "2 problems in file server.js of folder src" -> src/server.js, 2 (paths relative to the workspace). */
function parseFileRow(label: string): { path: string; count: number } | undefined {
  const m = /^(\d+) problems? in file (.+?)(?: of folder (.*))?$/.exec(label);
  if (!m) return undefined;
  return { path: m[3] && m[3] !== '.' ? `${m[3]}/${m[2]}` : m[2]!, count: Number(m[1]) };
}

/** "Warning: <message> at line 5 and character 3. [This problem has references to 3 locations. ]generated by zerocopy" */
function parseMarkerRow(label: string): ProblemRow | undefined {
  const m = /^(\w+): (.*) at line (\d+) and character (\d+)\. (?:This problem has references to \d+ locations?\. )?generated by (.+)$/s.exec(label);
  if (!m) return undefined;
  return { severity: m[1]!, message: m[2]!, line: Number(m[3]), column: Number(m[4]), source: m[5]! };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The code action menu (Ctrl+. or the lightbulb) and its actions, as VS Code 1.100 draws them. */
export function codeActionMenu(page: Page): { widget: Locator; actions: Locator; action(title: string): Locator; focused: Locator } {
  const widget = page.locator('.action-widget').first();
  const actions = widget.locator('.monaco-list-row.action');
  return {
    widget,
    actions,
    action: (title) => actions.filter({ hasText: title }).first(),
    focused: actions.and(page.locator('.focused')).first(),
  };
}
