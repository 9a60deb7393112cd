/**
 * How much heap V8 lets this process still allocate: the budget the engine checks its estimate of
 * an analysis's peak heap against (`AnalyzeOptions.heapBudget`). Over it, a file is skipped with
 * the reason rather than the process aborting out of memory (the language server would take the
 * editor's diagnostics down with it).
 */
import { getHeapStatistics } from 'node:v8';

export function heapLeft(): number {
  const { heap_size_limit: limit, used_heap_size: used } = getHeapStatistics();
  return Math.max(0, limit - used);
}
