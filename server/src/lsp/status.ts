/**
 * The `zerocopy/status` notification for the client's status bar: sent when the state or the
 * totals change, never twice with the same content.
 */
import type { StatusParams } from '../protocol';

export interface StatusReporter {
  setState(state: StatusParams['state']): void;
  /** Recomputes the totals and sends them if they changed. */
  refresh(): void;
}

export function createStatusReporter(
  send: (params: StatusParams) => void,
  totals: () => { findings: number; files: number; incomplete: number },
): StatusReporter {
  let state: StatusParams['state'] = 'idle';
  let lastSent = '';
  const refresh = () => {
    const params: StatusParams = { state, ...totals() };
    const key = JSON.stringify(params);
    if (key === lastSent) return;
    lastSent = key;
    send(params);
  };
  return {
    setState(next) {
      state = next;
      refresh();
    },
    refresh,
  };
}
