/**
 * The one call through which the server and the CLI run the engine on a file. It tells the engine
 * how much heap this process has left: a file it has not the memory to analyse is skipped with
 * the reason, instead of the process aborting out of memory.
 *
 * It also holds the fault-injection hook the tests use to prove that an exception while
 * analysing one file is contained (logged, that file's results cleared, the rest carries on):
 * with `ZEROCOPY_FAULT_FILES=<text>` in the environment, analysing any file whose name contains
 * `<text>` throws. Nothing else reads that variable.
 */
import { analyzeFile, type AnalysisResult, type AnalyzeOptions, type ProjectFiles } from '../engine';
import { heapLeft } from './heapBudget';
import { readSourceFileSync } from './readSource';

export const FAULT_INJECTION_VARIABLE = 'ZEROCOPY_FAULT_FILES';

export function analyseSource(fileName: string, text: string, options: AnalyzeOptions): AnalysisResult {
  const fault = process.env[FAULT_INJECTION_VARIABLE];
  if (fault && fileName.includes(fault)) {
    throw new Error(`injected fault while analysing ${fileName} (${FAULT_INJECTION_VARIABLE} is set)`);
  }
  return analyzeFile(fileName, text, { ...options, heapBudget: heapLeft() });
}

/**
 * The texts the engine's `Project` sees for other files: what the editor holds for an open
 * document, else the file on disk (within the size limit, never binary), else nothing; and the
 * project's files as far as they are known (see `ProjectFiles.list`).
 */
export function projectFiles(
  openText: (fileName: string) => string | undefined,
  maxBytes: (fileName: string) => number,
  list: () => readonly string[],
): ProjectFiles {
  return {
    getText(fileName: string): string | undefined {
      const open = openText(fileName);
      if (open !== undefined) return open;
      const read = readSourceFileSync(fileName, maxBytes(fileName));
      return 'text' in read ? read.text : undefined;
    },
    list,
  };
}
