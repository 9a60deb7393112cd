import type { AnalysisResult, RuleId } from './types';

/** Gives the engine the text of other files of the project (for cross-file summaries). Never throws. */
export interface ProjectFiles {
  getText(fileName: string): string | undefined;
}

export interface AnalyzeOptions {
  /** Only report these rules (default: all). */
  rules?: readonly RuleId[];
  /** Files larger than this many UTF-16 code units are skipped with a reason. */
  maxFileSize?: number;
  /** Other files of the project, for relative imports. */
  project?: Project;
}

export const DEFAULT_MAX_FILE_SIZE = 2_000_000;
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export function isAnalyzableFile(fileName: string): boolean {
  return EXTENSIONS.some((ext) => fileName.endsWith(ext)) && !fileName.endsWith('.d.ts');
}

/** Holds per-file summaries so a module used by many files is analysed once per version of its text. */
export class Project {
  constructor(readonly files: ProjectFiles) {}
  /** Forget what was learnt from this file (its text changed). */
  invalidate(_fileName: string): void {}
}

export function analyzeFile(_fileName: string, _text: string, _options: AnalyzeOptions = {}): AnalysisResult {
  return { findings: [] }; // TEMPORARY: the real analysis lands in the next commit
}
