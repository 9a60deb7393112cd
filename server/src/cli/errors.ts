/**
 * Errors the CLI reports in one line and exit 2 for, as opposed to internal errors (stack printed).
 * They are told apart by `kind`, not `instanceof`: dist/cli.js and dist/core.js are separate
 * bundles, each with its own copy of these classes.
 */

/** Bad arguments: the message is followed by a pointer to `--help`. */
export class UsageError extends Error {
  readonly kind = 'usage';
}

/** A failure the user can act on (an unwritable output file): the message alone. */
export class CliError extends Error {
  readonly kind = 'cli';
}

export function errorKind(error: unknown): 'usage' | 'cli' | undefined {
  const kind = (error as { kind?: unknown } | null)?.kind;
  return kind === 'usage' || kind === 'cli' ? kind : undefined;
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;
