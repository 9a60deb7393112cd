// Errors shaped like Node's own: system errors carry code, errno and syscall;
// argument errors are TypeError/RangeError with Node's ERR_* codes.
import * as util from 'node:util';

export interface SystemError extends Error {
  code: string;
  errno: number;
  syscall: string;
  path?: string;
}

/** `errno` is negative, as in Node (-104 for ECONNRESET); the message reads as fs's ("ENOENT: no such file or directory, open '/x'"). */
export function systemError(errno: number, syscall: string, path?: string): SystemError {
  const [code, description] = util.getSystemErrorMap().get(errno) ?? [util.getSystemErrorName(errno), 'unknown error'];
  const where = path === undefined ? '' : ` '${path}'`;
  const error = new Error(`${code}: ${description}, ${syscall}${where}`) as SystemError;
  error.code = code;
  error.errno = errno;
  error.syscall = syscall;
  if (path !== undefined) error.path = path;
  return error;
}

function withCode<E extends Error>(error: E, code: string): E & { code: string } {
  return Object.assign(error, { code });
}

export function invalidArgType(name: string, expected: string, actual: unknown): TypeError {
  const got = actual === null ? 'null' : typeof actual === 'object' ? `an instance of ${actual.constructor?.name ?? 'Object'}` : `type ${typeof actual} (${String(actual)})`;
  return withCode(new TypeError(`The "${name}" argument must be ${expected}. Received ${got}`), 'ERR_INVALID_ARG_TYPE');
}

export function outOfRange(name: string, expected: string, actual: unknown): RangeError {
  return withCode(new RangeError(`The value of "${name}" is out of range. It must be ${expected}. Received ${String(actual)}`), 'ERR_OUT_OF_RANGE');
}

/** A range that the file cannot satisfy: what an HTTP server answers with 416. */
export function rangeNotSatisfiable(start: number, size: number): RangeError & { size: number } {
  const error = withCode(new RangeError(`Range start ${start} is not a byte of the file (${size} bytes): a range must start before its end`), 'ERR_ZEROCOPY_RANGE_NOT_SATISFIABLE');
  return Object.assign(error, { size });
}

export function notRegularFile(what: string): TypeError {
  return withCode(new TypeError(`${what} is not a regular file`), 'ERR_ZEROCOPY_NOT_REGULAR_FILE');
}

/** The file ended before the range did: it was truncated while being sent. */
export function shortRead(expected: number, sent: number): Error & { expected: number; bytes: number } {
  const error = withCode(new Error(`The file ended after ${sent} of ${expected} bytes (was it truncated while being sent?)`), 'ERR_ZEROCOPY_SHORT_READ');
  return Object.assign(error, { expected, bytes: sent });
}

/** A file too large for a Buffer: fs.readFile's own error code, so callers handle both alike. */
export function fileTooLarge(size: number, limit: number): RangeError & { size: number } {
  const error = withCode(new RangeError(`File size (${size}) is greater than ${limit} bytes (buffer.constants.MAX_LENGTH), the largest Buffer`), 'ERR_FS_FILE_TOO_LARGE');
  return Object.assign(error, { size });
}

export function prematureClose(): Error {
  return withCode(new Error('Premature close'), 'ERR_STREAM_PREMATURE_CLOSE');
}

export function streamDestroyed(): Error {
  return withCode(new Error('Cannot call sendFile after a stream was destroyed'), 'ERR_STREAM_DESTROYED');
}

export function abortError(reason: unknown): Error {
  const error = withCode(new Error('The operation was aborted', { cause: reason }), 'ABORT_ERR');
  error.name = 'AbortError';
  return error;
}

export function invalidArgValue(name: string, value: unknown, reason: string): TypeError {
  return withCode(new TypeError(`The ${name} ${String(value)} is invalid: it ${reason}`), 'ERR_INVALID_ARG_VALUE');
}

/** A response that would carry both Transfer-Encoding and Content-Length, which RFC 9112 forbids. */
export function conflictingFraming(encoding: unknown, length: unknown): Error {
  return withCode(new Error(`The response sets both Transfer-Encoding (${String(encoding)}) and Content-Length (${String(length)}); a message may carry only one (RFC 9112 6.2): remove one of them`), 'ERR_ZEROCOPY_CONFLICTING_FRAMING');
}

export function writeAfterEnd(): Error {
  return withCode(new Error('write after end'), 'ERR_STREAM_WRITE_AFTER_END');
}
