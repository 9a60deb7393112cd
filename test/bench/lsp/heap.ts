/** Reads the live heap of a server started with the heap probe (children/heap-probe.ts). */
import { join } from 'node:path';
import { CHILDREN_DIR } from '../paths';
import type { LspSession } from './client';

/** Node flags that load the probe into the server. */
export const HEAP_PROBE_FLAGS = ['--expose-gc', '--require', join(CHILDREN_DIR, 'heap-probe.js')];

export interface HeapReading {
  heapMb: number;
  rssMb: number;
}

/** Asks the server for a full GC and its live heap (SIGUSR2), and waits for the answer on its stderr. */
export function readLiveHeap(session: LspSession, timeoutMs = 60_000): Promise<HeapReading> {
  const stderr = session.child.stderr!;
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: string | Buffer): void => {
      seen += chunk.toString();
      const m = /zerocopy-bench-heap (\d+) (\d+)\n/.exec(seen) ?? /zerocopy-bench-heap unavailable.*\n/.exec(seen);
      if (!m) return;
      done();
      if (m[2] === undefined) reject(new Error('the server was started without --expose-gc'));
      else resolve({ heapMb: Number(m[1]) / 1e6, rssMb: Number(m[2]) / 1e6 });
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no heap reading within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      stderr.off('data', onData);
    };
    stderr.on('data', onData);
    session.child.kill('SIGUSR2');
  });
}
