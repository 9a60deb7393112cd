/**
 * The engine's entry points: (file name, text[, project]) -> findings.
 * Everything the caller needs is re-exported from here; nothing here touches fs.
 */
export * from './types';
export { analyzeFile, Project, isAnalyzableFile, isNodeScript, hasNoExtension, DEFAULT_MAX_FILE_SIZE } from './analyze';
export type { AnalyzeOptions, ProjectFiles } from './analyze';
export { analysisHeapBytes } from './parse';
export { RULES } from './rules';
export type { RuleMeta } from './rules';
