import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { WorkDoneProgress, WorkDoneProgressCancelNotification, type CancellationToken, type LanguageClient } from 'vscode-languageclient/node';

/**
 * A server request with work-done progress, shown in a cancellable notification. `send` gets the
 * progress token to put in the request's params and the cancellation token to send it with;
 * cancelling the notification cancels both ways a server may listen for: the progress token and
 * the request itself. Resolves with the answer, or `{ cancelled: true }` (a failure after the
 * user cancelled counts as cancelled); any other failure rejects.
 */
export async function withServerProgress<T>(
  client: LanguageClient,
  title: string,
  tokenPrefix: string,
  send: (workDoneToken: string, cancel: CancellationToken) => Promise<T>,
): Promise<{ cancelled: false; value: T } | { cancelled: true }> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, cancel) => {
    const workDoneToken = `${tokenPrefix}/${randomUUID()}`;
    let reported = 0;
    const listening = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
      if (value.kind === 'end') return;
      // LSP reports an absolute percentage; VS Code wants the increment since the last report.
      const increment = value.percentage !== undefined ? Math.max(0, value.percentage - reported) : undefined;
      if (value.percentage !== undefined) reported = Math.max(reported, value.percentage);
      progress.report({ message: value.message, increment });
    });
    const cancelling = cancel.onCancellationRequested(() => {
      void client.sendNotification(WorkDoneProgressCancelNotification.type, { token: workDoneToken });
    });
    try {
      return { cancelled: false as const, value: await send(workDoneToken, cancel) };
    } catch (error) {
      if (cancel.isCancellationRequested) return { cancelled: true as const };
      throw error;
    } finally {
      listening.dispose();
      cancelling.dispose();
    }
  });
}
