// The loaded addon (or the reason it is missing), shared by every module.
import { loadBinding, type NativeBinding } from './binding';

const loaded = loadBinding();

export const binding: NativeBinding | undefined = loaded.binding;
/** The addon's exports, or an empty object when it did not load. */
export const native: Partial<NativeBinding> = loaded.binding ?? {};

export interface Availability {
  /** Whether the native addon loaded. */
  loaded: boolean;
  /** Why it did not load (undefined when it did). */
  reason?: string;
  /** The .node file in use. */
  path?: string;
  /** sendFile can use sendfile(2) on plain TCP and Unix sockets. */
  sendfile: boolean;
  /** mapFile returns a real mapping (otherwise it returns a copy of the file). */
  mmap: boolean;
  /** Touching a mapFile Buffer past the end of a file that shrank reads zeros instead of killing the process. */
  sigbusGuard: boolean;
}

export const available: Readonly<Availability> = Object.freeze({
  loaded: binding !== undefined,
  reason: loaded.reason,
  path: loaded.path,
  sendfile: binding?.Transfer !== undefined,
  mmap: binding !== undefined && process.platform !== 'win32',
  sigbusGuard: binding?.sigbusGuard === true,
});
