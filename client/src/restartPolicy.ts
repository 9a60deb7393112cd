import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type Message,
} from 'vscode-languageclient/node';

/** Crashes allowed inside `CRASH_WINDOW_MS` before the client gives up restarting the server. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 3 * 60 * 1000;

/**
 * Restarts the language server when its process dies, and tells the user once per session
 * rather than with a notification per crash. After `MAX_CRASHES` crashes in `CRASH_WINDOW_MS`
 * a crash loop is assumed and the server stays stopped until "Restart Server".
 */
export class RestartPolicy implements ErrorHandler {
  private crashes: number[] = [];
  private toldUser = false;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly now: () => number = Date.now,
  ) {}

  error(error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
    this.log.error(`Connection to the Zero-Copy language server failed: ${error.message}`);
    // A few write/read errors in a row can be transient; more mean the connection is gone.
    if (count !== undefined && count <= 3) return { action: ErrorAction.Continue, handled: true };
    return { action: ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = this.now();
    this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (this.crashes.length >= MAX_CRASHES) {
      const message =
        `The Zero-Copy language server stopped ${this.crashes.length} times in the last 3 minutes and will not be restarted. ` +
        `See the "Zero-Copy Advisor" output, then run "Zero-Copy: Restart Server".`;
      this.log.error(message);
      // Not `handled`: the language client shows this one error itself.
      return { action: CloseAction.DoNotRestart, message };
    }
    this.log.warn('The Zero-Copy language server stopped unexpectedly; restarting it.');
    this.tellUserOnce();
    return { action: CloseAction.Restart, handled: true };
  }

  /** The user asked for a restart: forget earlier crashes so a fresh loop is detected afresh. */
  reset(): void {
    this.crashes = [];
  }

  private tellUserOnce(): void {
    if (this.toldUser) return;
    this.toldUser = true;
    void vscode.window
      .showWarningMessage('Zero-Copy Advisor: the language server stopped unexpectedly and was restarted.', 'Show Output')
      .then((choice) => {
        if (choice === 'Show Output') this.log.show(true);
      });
  }
}
