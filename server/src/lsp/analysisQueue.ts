/**
 * Runs analyses one at a time, coalescing requests: a file asked for while it is queued is
 * queued once; a file asked for while it is being analysed is analysed once more afterwards
 * (by then at its newest version). Before each analysis every message already received is
 * handled (`settle`: see inbox.ts), so a burst of edits is analysed once, at its newest version.
 * Files the user is editing go before files re-checked in the background (dependents, files
 * changed on disk).
 */
import { oneTurn } from './inbox';
import { ANALYSIS_DELAY_MS } from './timing';

export type Priority = 'urgent' | 'background';

export class AnalysisQueue {
  private readonly urgent = new Set<string>();
  private readonly background = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly analyse: (fileName: string) => Promise<unknown>,
    private readonly onError: (fileName: string, error: unknown) => void,
    private readonly delayMs = ANALYSIS_DELAY_MS,
    /** Resolves once the messages received so far are handled (edits, closes). */
    private readonly settle: () => Promise<void> = oneTurn,
  ) {}

  schedule(fileName: string, priority: Priority = 'urgent'): void {
    if (priority === 'urgent') {
      this.background.delete(fileName);
      this.urgent.add(fileName);
    } else if (!this.urgent.has(fileName)) {
      this.background.add(fileName);
    }
    this.start();
  }

  /** Drops a pending request (the document was closed). */
  cancel(fileName: string): void {
    this.urgent.delete(fileName);
    this.background.delete(fileName);
  }

  get idle(): boolean {
    return !this.running && this.timer === undefined && this.urgent.size === 0 && this.background.size === 0;
  }

  /** Resolves once nothing is queued or running. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.urgent.clear();
    this.background.clear();
  }

  private start(): void {
    if (this.running || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, this.delayMs);
  }

  private next(): string | undefined {
    for (const set of [this.urgent, this.background]) {
      for (const fileName of set) {
        set.delete(fileName);
        return fileName;
      }
    }
    return undefined;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      // Messages that arrived before or during an analysis (edits, closes) are handled before the next one starts.
      for (await this.settle(); ; await this.settle()) {
        const fileName = this.next();
        if (fileName === undefined) break;
        try {
          await this.analyse(fileName);
        } catch (error) {
          this.onError(fileName, error);
        }
      }
    } finally {
      this.running = false;
    }
    if (this.idle) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
