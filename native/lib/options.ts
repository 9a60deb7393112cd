// Argument checks for the public API, done before any I/O so that mistakes
// surface as precise TypeError/RangeError values.
import type { FileHandle } from 'node:fs/promises';
import { invalidArgType, outOfRange } from './errors';

/** A path, an open file descriptor, or a FileHandle. Descriptors and handles stay open. */
export type FileInput = string | Buffer | URL | number | FileHandle;

/**
 * A byte range, as HTTP's: when `start` or `end` is given, `start` must be a
 * byte of the file (< its size), or sendFile rejects with
 * ERR_ZEROCOPY_RANGE_NOT_SATISFIABLE (fs.createReadStream would give an empty
 * stream); `end` past the file is clamped. With neither, the whole file is
 * sent, even an empty one.
 */
export interface RangeOptions {
  /** First byte to send, default 0. */
  start?: number;
  /** Last byte to send, **inclusive** (as in fs.createReadStream); default: the last byte of the file. */
  end?: number;
}

export interface SendFileOptions extends RangeOptions {
  /** Aborts the transfer: the promise rejects with an AbortError and the target is destroyed. */
  signal?: AbortSignal;
}

export interface MapFileOptions {
  /** Map every page now (madvise MADV_POPULATE_READ on Linux, without copying) rather than on first access. */
  populate?: boolean;
}

export function isFileHandle(value: unknown): value is FileHandle {
  return typeof value === 'object' && value !== null && typeof (value as FileHandle).fd === 'number' && typeof (value as FileHandle).stat === 'function' && typeof (value as FileHandle).close === 'function';
}

export function checkFileInput(file: unknown): asserts file is FileInput {
  if (typeof file === 'string' || Buffer.isBuffer(file) || file instanceof URL || isFileHandle(file)) return;
  if (typeof file === 'number') {
    if (!Number.isInteger(file) || file < 0 || file > 0x7fffffff) throw outOfRange('file', 'a file descriptor (an integer >= 0 and <= 2147483647)', file);
    return;
  }
  throw invalidArgType('file', 'of type string, Buffer, URL, number (a file descriptor) or a FileHandle', file);
}

function checkPosition(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw invalidArgType(`options.${name}`, 'of type number', value);
  if (!Number.isSafeInteger(value) || value < 0) throw outOfRange(`options.${name}`, 'an integer >= 0 and <= 2^53 - 1', value);
  return value;
}

/** A checked range; `ranged` when start or end was given (then it must start inside the file). */
export interface CheckedRange {
  start: number;
  end: number | undefined;
  ranged: boolean;
}

export function checkRange(options: RangeOptions): CheckedRange {
  const given = checkPosition('start', options.start);
  const start = given ?? 0;
  const end = checkPosition('end', options.end);
  if (end !== undefined && end < start) throw outOfRange('options.end', `>= options.start (${start})`, end);
  return { start, end, ranged: given !== undefined || end !== undefined };
}

const NO_OPTIONS: SendFileOptions = Object.freeze({});

export function checkSendFileOptions(options: unknown): SendFileOptions {
  if (options === undefined) return NO_OPTIONS;
  if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'of type object', options);
  const { signal } = options as SendFileOptions;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalidArgType('options.signal', 'an instance of AbortSignal', signal);
  checkRange(options as RangeOptions);
  return options as SendFileOptions;
}

export function checkMapFileOptions(options: unknown): MapFileOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'of type object', options);
  const { populate } = options as MapFileOptions;
  if (populate !== undefined && typeof populate !== 'boolean') throw invalidArgType('options.populate', 'of type boolean', populate);
  return options as MapFileOptions;
}
