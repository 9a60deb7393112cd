// Turns "abort signal fired" and "stream closed under us" into one callback,
// with listeners removed afterwards so persistent sockets do not collect them.
import type { EventEmitter } from 'node:events';
import { abortError, prematureClose } from './errors';

export interface Watch {
  dispose(): void;
}

/** Calls `onCancel` once with an AbortError or a premature-close error. */
export function watchCancellation(stream: EventEmitter, signal: AbortSignal | undefined, onCancel: (error: Error, aborted: boolean) => void): Watch {
  let active = true;
  const onAbort = (): void => {
    if (!active) return;
    dispose();
    onCancel(abortError(signal?.reason), true);
  };
  const onClose = (): void => {
    if (!active) return;
    dispose();
    onCancel(prematureClose(), false);
  };
  function dispose(): void {
    active = false;
    signal?.removeEventListener('abort', onAbort);
    stream.removeListener('close', onClose);
  }
  signal?.addEventListener('abort', onAbort, { once: true });
  stream.on('close', onClose);
  return { dispose };
}

/** Waits for `event` on `stream`, rejecting on 'close', 'error' or abort. */
export function waitForEvent(stream: EventEmitter, event: string, signal: AbortSignal | undefined): Promise<void> {
  // A stream destroyed already will not emit 'close' again: fail now rather than hang.
  if ((stream as { destroyed?: boolean }).destroyed) return Promise.reject(prematureClose());
  if (signal?.aborted) return Promise.reject(abortError(signal.reason));
  return new Promise((resolve, reject) => {
    const watch = watchCancellation(stream, signal, (error) => {
      stream.removeListener(event, onEvent);
      stream.removeListener('error', onError);
      reject(error);
    });
    function onEvent(): void {
      watch.dispose();
      stream.removeListener('error', onError);
      resolve();
    }
    function onError(error: Error): void {
      watch.dispose();
      stream.removeListener(event, onEvent);
      reject(error);
    }
    stream.once(event, onEvent);
    stream.once('error', onError);
  });
}
