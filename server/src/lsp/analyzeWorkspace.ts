/**
 * `zerocopy/analyzeWorkspace`: every JS/TS file of every workspace folder (walked as
 * walk.ts says, with each folder's include/exclude and size limit), analysed one after the
 * other with work-done progress, and stopped promptly when the request is cancelled
 * (`$/cancelRequest`) or the user cancels the progress. A second request cancels the first.
 */
import { relative } from 'node:path';
import type { AnalyzeWorkspaceParams, AnalyzeWorkspaceResult, Settings } from '../protocol';
import type { PathFilter } from '../workspace/globs';
import { walkSourceFiles } from '../workspace/walk';
import type { FileAnalyser } from './fileAnalyser';

export interface Cancellation {
  readonly isCancellationRequested: boolean;
}

export interface Progress {
  begin(title: string, percentage?: number, message?: string, cancellable?: boolean): void;
  report(percentage: number, message: string): void;
  done(): void;
  /** Cancelled from the progress UI (only for progress the server created). */
  readonly token?: Cancellation;
}

export interface WorkspaceAnalysisDeps {
  folders(): readonly string[];
  settingsForFolder(folder: string): Promise<Settings>;
  /** The folder's include/exclude filter for these settings. */
  pathFilter(folder: string, settings: Settings): PathFilter;
  analyseFile: FileAnalyser;
  /** Progress under the client's token when it gave one, else one the server creates. */
  startProgress(workDoneToken: string | number | undefined): Promise<Progress>;
  setState(state: 'idle' | 'analysing'): void;
  /** Every file the walk found (before any is analysed): the project's listing from now on. */
  filesFound(files: readonly string[]): void;
  /** An entry the walk could not use (a folder it cannot read, a FIFO named `x.js`…), with why. */
  walkSkipped(path: string, reason: string): void;
}

/** Progress reports are sent at most this often, plus whenever the whole percentage changes. */
const PROGRESS_INTERVAL_MS = 100;

export function createAnalyzeWorkspaceHandler(deps: WorkspaceAnalysisDeps) {
  let current: { cancelled: boolean } | undefined;

  return async function analyzeWorkspace(params: AnalyzeWorkspaceParams | undefined, token: Cancellation): Promise<AnalyzeWorkspaceResult> {
    if (current) current.cancelled = true;
    const run = { cancelled: false };
    current = run;
    const progress = await deps.startProgress(params?.workDoneToken);
    const isCancelled = () => run.cancelled || token.isCancellationRequested || progress.token?.isCancellationRequested === true;
    const result: AnalyzeWorkspaceResult = { files: 0, findings: 0, skipped: 0, cancelled: false };
    deps.setState('analysing');
    progress.begin('Zero-Copy Advisor: analysing the workspace', 0, 'finding files…', true);
    try {
      const files: Array<{ file: string; folder: string }> = [];
      const seen = new Set<string>(); // nested workspace folders share files
      for (const folder of deps.folders()) {
        const settings = await deps.settingsForFolder(folder);
        if (!settings.enable) continue;
        const filter = deps.pathFilter(folder, settings);
        const onSkip = (path: string, reason: string) => {
          result.skipped++;
          deps.walkSkipped(path, reason);
        };
        for await (const file of walkSourceFiles(folder, { accept: (p) => filter.accepts(p), isCancelled, onSkip })) {
          if (!seen.has(file)) files.push({ file, folder });
          seen.add(file);
        }
        if (isCancelled()) {
          result.cancelled = true;
          return result;
        }
      }

      deps.filesFound(files.map((f) => f.file));
      let lastReport = Date.now();
      let lastPercentage = 0;
      for (let i = 0; i < files.length; i++) {
        if (isCancelled()) {
          result.cancelled = true;
          break;
        }
        const { file, folder } = files[i]!;
        const outcome = await deps.analyseFile(file);
        if (outcome.kind === 'analysed') {
          result.files++;
          result.findings += outcome.findings;
        } else if (outcome.kind === 'skipped' || outcome.kind === 'failed') {
          result.skipped++;
        }
        const percentage = Math.floor(((i + 1) * 100) / files.length);
        const now = Date.now();
        if (percentage !== lastPercentage || now - lastReport >= PROGRESS_INTERVAL_MS) {
          progress.report(percentage, `${i + 1}/${files.length} ${relative(folder, file)}`);
          lastPercentage = percentage;
          lastReport = now;
        }
        // Keep the server responsive (edits, hovers, the cancel itself) between files.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return result;
    } finally {
      progress.done();
      if (current === run) {
        current = undefined;
        deps.setState('idle');
      }
    }
  };
}
