/** Errors the CLI reports in one line and exit 2 for, as opposed to internal errors (stack printed). */

/** Bad arguments: the message is followed by a pointer to `--help`. */
export class UsageError extends Error {}

/** A failure the user can act on (an unwritable output file): the message alone. */
export class CliError extends Error {}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;
