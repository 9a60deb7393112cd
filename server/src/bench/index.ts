/**
 * `zerocopy bench`: what the CLI and the language server use. Nothing else imports this folder.
 */
export { benchmarkFinding, type BenchmarkOutcome, type BenchmarkRequest } from './benchmark';
export { DEFAULT_CONCURRENCY, DEFAULT_SIZES, DEFAULT_TIME_BUDGET_SECONDS } from './defaults';
export { formatBenchMarkdown, formatBenchText, formatBytes } from './format/table';
export type { BenchReport } from '../protocol/benchReport';
