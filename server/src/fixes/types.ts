/**
 * The fix engine's public contract. Pure data, like the engine's: no LSP, no fs, no addon.
 * Ranges are the engine's (0-based lines, `character` in UTF-16 code units).
 */
import type { Finding, Range } from '../engine/types';
import type { Project } from '../engine/project';

/** The rewrites, one definition each (kinds/). */
export const FIX_KINDS = ['sendfile', 'mmap', 'stream', 'framework', 'respondWithFile', 'copyFile'] as const;
export type FixKind = (typeof FIX_KINDS)[number];

/** One replacement in one file; `range` is in that file's current text. */
export interface FileEdit {
  fileName: string;
  range: Range;
  newText: string;
}

export interface Fix {
  kind: FixKind;
  /** What the fix does, for a code action's title or the CLI's report. */
  title: string;
  /** The rewrite the finding's recommendation names. */
  preferred: boolean;
  /** May span files (the package.json that gains the `zerocopy` dependency). */
  edits: FileEdit[];
}

export interface FixInput {
  fileName: string;
  text: string;
  finding: Finding;
  /** Other files of the project (where the sink lives), like the engine's ProjectFiles. Never throws. */
  getText?(fileName: string): string | undefined;
  /** The nearest package.json, found by the caller (fixes never read files). */
  packageJson?: { fileName: string; text: string };
  /** The bundled runtime's version, for the dependency the fix adds. */
  zerocopyVersion: string;
  /** The engine project the finding came from, if the caller has one: its parse is reused. */
  project?: Project;
}

export interface FixResult {
  /** The preferred fix first, then the correct alternatives. */
  fixes: Fix[];
  /** When `fixes` is empty: why, as "no fix, because …" completes it. */
  noFix?: string;
}
