/** The default sweep, apart from everything else so the CLI's small front can print it in --help. */
export const DEFAULT_SIZES = [64 << 10, 1 << 20, 16 << 20, 256 << 20] as const;
export const DEFAULT_CONCURRENCY = [1, 16] as const;
/** Seconds of measuring; set so that the default sweep ends within a minute on two cores. */
export const DEFAULT_TIME_BUDGET_SECONDS = 40;
