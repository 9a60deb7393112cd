/**
 * `zerocopy check`: analyse files from disk with one `Project` (so cross-file flows are seen),
 * collect findings, skipped files and per-file errors. Formatting is formats/*'s job.
 */
import { isAnalyzableFile, Project, type Finding, type RuleId, type SkippedFile } from '../engine';
import { uniqueSortedFindings } from '../report/findingOrder';
import { analyseSource } from '../workspace/analyseSource';
import { readSourceFileSync, type SourceRead } from '../workspace/readSource';
import { collectFiles } from './collectFiles';

export interface CheckRequest {
  paths: readonly string[];
  rules?: readonly RuleId[];
  maxFileSize: number;
  cwd: string;
  /** Texts that replace the disk's (files `--fix` has changed in memory). */
  texts?: ReadonlyMap<string, string>;
  /** The files to analyse, when already collected (the passes of `--fix`). */
  files?: readonly string[];
}

export interface CheckReport {
  /** Paths in the report are shown relative to this folder. */
  cwd: string;
  /** Every file looked at (analysed or skipped), absolute. */
  files: string[];
  findings: Finding[];
  skipped: SkippedFile[];
  /** Files whose analysis threw; their findings are missing from the report. */
  errors: Array<{ fileName: string; message: string }>;
  /** The project the files were analysed in (fixes reuse its parses). */
  project: Project;
  /** The text of any file, as the analysis saw it (undefined: unreadable or skipped). */
  textOf(fileName: string): string | undefined;
  /** Per finding, its preferred fix's title or why it has none (filled in for the text and json formats). */
  fixes?: Map<Finding, { fix?: string; noFix?: string }>;
}

/**
 * How many files' analyses check keeps (the language server keeps 96): check runs once and then
 * exits, and in a project whose modules import each other densely (webpack: 531 of its files are
 * parsed) a smaller cache lets a module go and parses it again for its next importer. A kept file
 * costs about 0.3 MB of heap on the bench corpus (an 8,000-character file on average).
 */
const CACHE_LIMIT = 1024;

export async function runCheck(request: CheckRequest): Promise<CheckReport> {
  const files = request.files ? [...request.files] : await collectFiles(request.paths, request.cwd);
  const listing = files.filter(isAnalyzableFile);
  // Each file is read once: the project asks for most of them before the loop gets to them (the
  // name index scans every listed file), and for an imported module again from each importer.
  const reads = new Map<string, SourceRead>();
  const readOnce = (fileName: string): SourceRead => {
    const given = request.texts?.get(fileName);
    if (given !== undefined) return { text: given };
    let read = reads.get(fileName);
    if (!read) reads.set(fileName, (read = readSourceFileSync(fileName, request.maxFileSize)));
    return read;
  };
  const getText = (fileName: string): string | undefined => {
    const read = readOnce(fileName);
    return 'text' in read ? read.text : undefined;
  };
  const project = new Project({ getText, list: () => listing }, request.maxFileSize, CACHE_LIMIT);
  const findings: Finding[] = [];
  const skipped: SkippedFile[] = [];
  const errors: CheckReport['errors'] = [];
  for (const fileName of files) {
    if (!isAnalyzableFile(fileName)) {
      skipped.push({ fileName, reason: 'not a JavaScript or TypeScript file' });
      continue;
    }
    const read = readOnce(fileName);
    if ('skipped' in read) {
      skipped.push({ fileName, reason: read.skipped });
      continue;
    }
    try {
      const result = analyseSource(fileName, read.text, {
        ...(request.rules ? { rules: request.rules } : {}),
        maxFileSize: request.maxFileSize,
        project,
      });
      if (result.skipped) skipped.push({ fileName, reason: result.skipped.reason });
      findings.push(...result.findings);
    } catch (error) {
      errors.push({ fileName, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
  return { cwd: request.cwd, files, findings: uniqueSortedFindings(findings), skipped, errors, project, textOf: getText };
}
