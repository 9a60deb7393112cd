/**
 * Analyses one file, open in the editor or on disk, and records what it found. The rules that
 * keep the editor honest live here:
 * - an open document is analysed at its current version, and the result is dropped if the
 *   document changed meanwhile (the change has already queued a fresh analysis);
 * - an exception from the engine is logged with the file name and stack, and that file's
 *   findings are cleared; the caller carries on with other files;
 * - a skipped file (too large, binary, too deep for the engine) is logged once per reason;
 * - a file analysed only in part (a bound of the engine reached) is logged once per reason, and
 *   the store keeps why, for the note published with its findings.
 */
import { isAnalyzableFile, type AnalysisResult, type AnalyzeOptions } from '../engine';
import type { Settings } from '../protocol';
import type { SourceRead } from '../workspace/readSource';
import { enabledRules } from '../workspace/settings';
import type { FindingStore } from './findingStore';

export interface OpenDocument {
  uri: string;
  version: number;
  getText(): string;
}

export interface FileAnalyserDeps {
  openDocument(fileName: string): OpenDocument | undefined;
  readFromDisk(fileName: string, maxBytes: number): Promise<SourceRead>;
  settingsFor(fileName: string): Promise<Settings>;
  /** Whether the folder's include/exclude globs let this file be analysed. */
  accepts(fileName: string, settings: Settings): boolean;
  /** The engine, with the server's `Project`. */
  analyse(fileName: string, text: string, options: AnalyzeOptions): AnalysisResult;
  store: FindingStore;
  /** Publishes the current findings of these files. */
  publish(fileNames: Iterable<string>): void;
  log: { info(message: string): void; error(message: string): void };
}

export type FileOutcome =
  | { kind: 'analysed'; findings: number }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed' }
  /** Not analysed: the document changed or was opened meanwhile, and is queued again. */
  | { kind: 'stale' }
  /** Not analysed: disabled or excluded by the settings. */
  | { kind: 'excluded' };

export type FileAnalyser = (fileName: string) => Promise<FileOutcome>;

export function createFileAnalyser(deps: FileAnalyserDeps): FileAnalyser {
  const loggedSkips = new Map<string, string>();
  const loggedIncomplete = new Map<string, string>();

  const clearAndPublish = (fileName: string) => deps.publish(deps.store.clear(fileName));

  return async function analyseFile(fileName: string): Promise<FileOutcome> {
    // Versions are captured as numbers: an open document is one object updated in place by edits.
    const versionBefore = deps.openDocument(fileName)?.version;
    const settings = await deps.settingsFor(fileName);
    const document = deps.openDocument(fileName);
    if (versionBefore !== undefined && document?.version !== versionBefore) return { kind: 'stale' };
    if (!settings.enable || !isAnalyzableFile(fileName) || !deps.accepts(fileName, settings)) {
      clearAndPublish(fileName);
      return { kind: 'excluded' };
    }

    let text: string;
    const version = document?.version;
    if (document) {
      text = document.getText();
      // Checked here too (not only by the engine), so the reason is the same as for files on disk.
      if (text.length > settings.maxFileSize) {
        return skip(fileName, `too large (${text.length} characters; the limit is ${settings.maxFileSize})`);
      }
    } else {
      const read = await deps.readFromDisk(fileName, settings.maxFileSize);
      // Opened while we read the disk: the open queued an analysis of the editor's text.
      if (deps.openDocument(fileName) !== undefined) return { kind: 'stale' };
      if ('skipped' in read) return skip(fileName, read.skipped);
      text = read.text;
    }

    let result: AnalysisResult;
    try {
      result = deps.analyse(fileName, text, { rules: enabledRules(settings), maxFileSize: settings.maxFileSize });
    } catch (error) {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      deps.log.error(`zerocopy: analysing ${fileName} failed; its findings are cleared.\n${detail}`);
      clearAndPublish(fileName);
      return { kind: 'failed' };
    }
    if (result.skipped) return skip(fileName, result.skipped.reason);

    if (document && deps.openDocument(fileName)?.version !== version) return { kind: 'stale' };
    loggedSkips.delete(fileName);
    if (result.incomplete === undefined) loggedIncomplete.delete(fileName);
    else if (loggedIncomplete.get(fileName) !== result.incomplete) {
      loggedIncomplete.set(fileName, result.incomplete);
      deps.log.info(`zerocopy: ${fileName} was analysed only in part: ${result.incomplete}`);
    }
    deps.publish(deps.store.set(fileName, result.findings, result.incomplete));
    return { kind: 'analysed', findings: result.findings.length };
  };

  function skip(fileName: string, reason: string): FileOutcome {
    if (loggedSkips.get(fileName) !== reason) {
      loggedSkips.set(fileName, reason);
      deps.log.info(`zerocopy: skipped ${fileName}: ${reason}`);
    }
    clearAndPublish(fileName);
    return { kind: 'skipped', reason };
  }
}
