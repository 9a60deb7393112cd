/**
 * Knows when every message the connection has received was handled, so that an analysis starts
 * only then (edits arriving in a burst collapse into one analysis of the newest version).
 *
 * vscode-jsonrpc reads whatever the transport delivers into a queue at once, then dispatches one
 * queued message per `setImmediate` turn. Handled between two turns, an analysis would take one
 * edit of a burst at a time. The connection tells every dispatch to its message strategy: the
 * queue is empty once a turn passes in which nothing was dispatched. Two turns are awaited, as a
 * turn scheduled before the connection's own in the same round runs first.
 */
import type { ConnectionOptions, Message } from 'vscode-languageserver/node';

export class Inbox {
  private dispatched = 0;

  /** The connection's options: pass to `createConnection`. */
  readonly connectionOptions: ConnectionOptions = {
    messageStrategy: {
      handleMessage: (message: Message, next: (message: Message) => void | Promise<void>): void | Promise<void> => {
        this.dispatched++;
        return next(message);
      },
    },
  };

  /** Resolves once no received message is left to dispatch. */
  async drained(): Promise<void> {
    for (let quiet = 0; quiet < 2; ) {
      const before = this.dispatched;
      await new Promise<void>((resolve) => setImmediate(resolve));
      quiet = this.dispatched === before ? quiet + 1 : 0;
    }
  }
}

/** Without an inbox (a connection made elsewhere): one turn, so that what is already dispatched first is handled. */
export function oneTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
