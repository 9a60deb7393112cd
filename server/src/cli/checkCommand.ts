/** `zerocopy check …`: arguments in, report out (stdout or --output), exit status back. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCheckArgs, type Format } from './checkArgs';
import { runCheck, type CheckReport } from './check';
import { displayPath } from './displayPath';
import { formatJson } from './formats/json';
import { formatSarif } from './formats/sarif';
import { formatText } from './formats/text';
import { CliError, EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR } from './errors';
import { escapeForTerminal, quoteForTerminal } from './terminalText';
import { CHECK_USAGE } from './usage';

export { EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR } from './errors';

const FORMATTERS: Record<Format, (report: CheckReport) => string> = { text: formatText, json: formatJson, sarif: formatSarif };

/** Throws UsageError for bad arguments; the caller turns that into exit 2. */
export async function checkCommand(args: readonly string[], cwd = process.cwd()): Promise<number> {
  const options = parseCheckArgs(args);
  if (options.help) {
    process.stdout.write(CHECK_USAGE);
    return EXIT_CLEAN;
  }
  const report = await runCheck({
    paths: options.paths,
    ...(options.rules ? { rules: options.rules } : {}),
    maxFileSize: options.maxFileSize,
    cwd,
  });
  const shown = (fileName: string) => quoteForTerminal(displayPath(fileName, cwd));
  for (const s of report.skipped) process.stderr.write(`zerocopy: skipped ${shown(s.fileName)}: ${s.reason}\n`);
  for (const i of report.incomplete) process.stderr.write(`zerocopy: warning: ${shown(i.fileName)} was analysed only in part: ${i.reason}\n`);
  for (const e of report.errors) process.stderr.write(`zerocopy: error: analysing ${shown(e.fileName)} failed:\n${e.message.split('\n').map(escapeForTerminal).join('\n')}\n`);
  const text = FORMATTERS[options.format](report);
  if (options.output !== undefined) {
    try {
      writeFileSync(resolve(cwd, options.output), text);
    } catch (error) {
      throw new CliError(`cannot write the report to ${options.output} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  } else {
    process.stdout.write(text);
  }
  // Findings that are missing because the analysis failed make the run unreliable: exit 2.
  if (report.errors.length > 0) return EXIT_ERROR;
  return report.findings.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}
