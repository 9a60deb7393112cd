/**
 * What the parent hands a measured child (as a JSON file, so a 10,000-path list never goes
 * through argv), and what the child hands back.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface ChildJob {
  /** Absolute paths, already filtered exactly as the engine filters them (extension, size). */
  files: string[];
  /** Folder the files live in (ESLint's base path). */
  baseDir: string;
  /** The package folders `zerocopy check` is given. */
  roots: string[];
  /** The engine's default max file size. */
  maxFileSize: number;
}

export interface ChildResult {
  files: number;
  /** Findings from the peer rule, or files with syntax errors for the parse floor. */
  findings?: number;
  filesWithSyntaxErrors: number;
  /** Milliseconds spent in each phase inside the child (module loading, reading, work). */
  phases: Record<string, number>;
  notes?: string[];
}

export function readJob(path: string): ChildJob {
  return JSON.parse(readFileSync(path, 'utf8')) as ChildJob;
}

export function writeResult(path: string, result: ChildResult): void {
  writeFileSync(path, JSON.stringify(result));
}
