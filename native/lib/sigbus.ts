// Keeps the addon's SIGBUS guard (see src/sigbus_guard.h) in place for as
// long as mappings exist. process.on('SIGBUS') has libuv install its own
// handler over ours, and removing the last listener restores the default
// action: either way a read past the end of a truncated file would then
// fault for ever (libuv's handler returns, so the access repeats) or kill the
// process. So the guard is put back on top, chaining to the new handler for
// every other SIGBUS, whenever a SIGBUS listener comes or goes and before
// each mapping.
import { native } from './native';

let watching = false;

function onListenerChange(event: string | symbol): void {
  // Node's own listener, which starts or stops libuv's handler, was added at
  // startup and so has already run when this one runs.
  if (event === 'SIGBUS') native.ensureSigbusGuard?.();
}

/** Before a mapping is made: the guard is on top, and stays there. */
export function keepSigbusGuard(): void {
  const ensure = native.ensureSigbusGuard;
  if (ensure === undefined) return;
  ensure();
  if (watching) return;
  watching = true;
  process.on('newListener', onListenerChange);
  process.on('removeListener', onListenerChange);
}
