/**
 * Preloaded (`node --require`) into every measured child, the real CLI included, to report the
 * child's own CPU time and peak RSS when it exits: CPU time is less disturbed than wall time by
 * others using the two shared cores. Writes nothing unless ZC_BENCH_USAGE_FILE is set.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface ChildUsage {
  cpuUserMs: number;
  cpuSystemMs: number;
  maxRssMb: number;
  /** From process start (performance.timeOrigin) to exit. */
  uptimeMs: number;
}

const usageFile = process.env.ZC_BENCH_USAGE_FILE;
if (usageFile) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    const usage: ChildUsage = {
      cpuUserMs: u.userCPUTime / 1000,
      cpuSystemMs: u.systemCPUTime / 1000,
      maxRssMb: u.maxRSS / 1024,
      uptimeMs: performance.now(),
    };
    writeFileSync(usageFile, JSON.stringify(usage));
  });
}
