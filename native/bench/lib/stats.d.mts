// Types of stats.mjs, for the TypeScript that imports it (server/src/bench/stats.ts).
export declare function median(values: readonly number[]): number;
export declare const INTERVAL_NOTE: string;
export declare function medianInterval(values: readonly number[], confidence?: number): { low: number; high: number; coverage: number };
export declare function ratioText(values: readonly number[]): string;
export declare function formatSize(bytes: number): string;
export declare function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string;
