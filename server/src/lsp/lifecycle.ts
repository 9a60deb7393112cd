/**
 * The lifecycle LSP asks of a server, which vscode-languageserver leaves to it:
 * - before `initialize`, a request is answered with ServerNotInitialized (-32002) and a
 *   notification is dropped (only `exit` acts), so nothing is analysed for a client that has not
 *   said who it is;
 * - after `shutdown`, a request is answered with InvalidRequest (-32600) and a notification is
 *   dropped: only `exit` is left to do.
 * Every handler the server registers is wrapped here; requests it has no handler for get the same
 * answers through the star handler (MethodNotFound once running).
 */
import {
  ErrorCodes,
  ResponseError,
  type CancellationToken,
  type Connection,
  type InitializeError,
  type StarRequestHandler,
} from 'vscode-languageserver/node';

export type LifecycleState = 'uninitialized' | 'running' | 'shutdown';

export class Lifecycle {
  private current: LifecycleState = 'uninitialized';

  get state(): LifecycleState {
    return this.current;
  }

  get running(): boolean {
    return this.current === 'running';
  }

  /** `initialize` arrived: an error to answer it with (a second one), or undefined to go on. */
  initialize(): ResponseError<InitializeError> | undefined {
    if (this.current !== 'uninitialized') {
      return new ResponseError(ErrorCodes.InvalidRequest, 'initialize was already received', { retry: false });
    }
    this.current = 'running';
    return undefined;
  }

  /** `shutdown` arrived: an error to answer it with, or undefined once the server is shut down. */
  shutdown(): ResponseError<void> | undefined {
    const refused = this.refusal('shutdown');
    if (refused) return refused;
    this.current = 'shutdown';
    return undefined;
  }

  /** The error a request gets in the current state, if it may not run. */
  refusal(method: string): ResponseError<void> | undefined {
    if (this.current === 'uninitialized') {
      return new ResponseError(ErrorCodes.ServerNotInitialized, `${method}: the server has not been initialized (send initialize first)`);
    }
    if (this.current === 'shutdown') {
      return new ResponseError(ErrorCodes.InvalidRequest, `${method}: the server is shut down; only exit is accepted`);
    }
    return undefined;
  }

  /** A request handler that runs only while the server is running. */
  request<P, R>(method: string, handler: (params: P, token: CancellationToken) => R): (params: P, token: CancellationToken) => R | ResponseError<void> {
    return (params, token) => this.refusal(method) ?? handler(params, token);
  }

  /** A notification handler that runs only while the server is running. */
  notification<P>(handler: (params: P) => void): (params: P) => void {
    return (params) => {
      if (this.running) handler(params);
    };
  }

  /** Answers requests no handler took: refused by state, else MethodNotFound. */
  answerUnhandledRequests(connection: Connection): void {
    const unhandled: StarRequestHandler = (method) =>
      this.refusal(method) ?? new ResponseError(ErrorCodes.MethodNotFound, `Unhandled method ${method}`);
    connection.onRequest(unhandled);
  }
}
