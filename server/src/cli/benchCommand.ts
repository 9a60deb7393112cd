/**
 * `zerocopy bench FILE:LINE[:COL] …`: finds the finding the way `check` does (the whole project
 * the file belongs to is analysed, so flows across files are seen), benchmarks it, prints the
 * table (or the JSON) and says why when it cannot. Progress goes to stderr: a line per step, or
 * JSON lines with `--progress json` (what the language server reads).
 * Exit status: 0 measured, 1 could not be made runnable (the reason on stderr), 2 usage or
 * internal error, 130 cancelled (SIGINT/SIGTERM).
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { benchmarkFinding, formatBenchText } from '../bench';
import { DEFAULT_MAX_FILE_SIZE } from '../engine';
import { parseBenchArgs } from './benchArgs';
import { runCheck } from './check';
import { displayPath } from './displayPath';
import { CliError, EXIT_CLEAN, EXIT_FINDINGS, UsageError } from './errors';
import { BENCH_USAGE } from './usage';

export const EXIT_UNRUNNABLE = EXIT_FINDINGS;
export const EXIT_CANCELLED = 130;

/** The folder whose files are analysed with the target: the nearest one with a package.json. */
function projectRoot(fileName: string): string {
  for (let dir = dirname(fileName); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(fileName);
  }
}

export async function benchCommand(args: readonly string[], cwd = process.cwd()): Promise<number> {
  const started = Date.now();
  const options = parseBenchArgs(args);
  if (options.help) {
    process.stdout.write(BENCH_USAGE);
    return EXIT_CLEAN;
  }
  const fileName = resolve(cwd, options.file);
  if (!existsSync(fileName) || !statSync(fileName).isFile()) throw new UsageError(`${options.file} is not a file`);
  const target = `${displayPath(fileName, cwd)}:${options.line}${options.column ? `:${options.column}` : ''}`;
  const progress = (message: string, fraction?: number): void => {
    if (options.progress === 'json') process.stderr.write(`${JSON.stringify({ type: 'progress', message, ...(fraction !== undefined ? { fraction: Math.max(0, Math.min(1, fraction)) } : {}) })}\n`);
    else process.stderr.write(`zerocopy bench: ${message}\n`);
  };

  progress(`finding the transfer at ${target}`);
  const report = await runCheck({ paths: [projectRoot(fileName)], maxFileSize: DEFAULT_MAX_FILE_SIZE, cwd });
  const inFile = report.findings.filter((f) => f.fileName === fileName);
  const matches = inFile.filter((f) => f.range.start.line + 1 === options.line && (options.column === undefined || f.range.start.character + 1 === options.column));
  if (matches.length === 0) {
    const where = inFile.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1}`).join(', ');
    throw new CliError(`no finding at ${target}${where ? ` (this file has findings at ${where})` : ' (this file has no findings)'}`);
  }
  if (matches.length > 1) progress(`${matches.length} findings on that line; benchmarking the first (give :COL to choose)`);
  const finding = matches[0]!;

  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const outcome = await benchmarkFinding({
      finding,
      getText: (f) => readText(f),
      displayRoot: cwd,
      sizes: options.sizes,
      concurrency: options.concurrency,
      timeBudgetSeconds: options.timeBudgetSeconds,
      // A second of the limit is kept for writing the report.
      ...(options.timeLimitSeconds !== undefined ? { deadline: started + options.timeLimitSeconds * 1000 - 1000 } : {}),
      signal: controller.signal,
      onProgress: (message, fraction) => progress(message, fraction),
      onRunDir: (dir) => {
        if (options.progress === 'json') process.stderr.write(`${JSON.stringify({ type: 'runDir', path: dir })}\n`);
      },
    });
    if (!outcome.ok) {
      if (outcome.cancelled) {
        process.stderr.write('zerocopy: benchmark cancelled\n');
        return EXIT_CANCELLED;
      }
      process.stderr.write(`zerocopy: cannot benchmark ${target}: ${outcome.reason}\n`);
      return EXIT_UNRUNNABLE;
    }
    const json = `${JSON.stringify(outcome.report, null, 2)}\n`;
    if (options.json === '-') process.stdout.write(json);
    else {
      if (options.json !== undefined) {
        try {
          writeFileSync(resolve(cwd, options.json), json);
        } catch (error) {
          throw new CliError(`cannot write the JSON to ${options.json} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
        }
      }
      process.stdout.write(formatBenchText(outcome.report));
    }
    return EXIT_CLEAN;
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}

function readText(fileName: string): string | undefined {
  try {
    return readFileSync(fileName, 'utf8');
  } catch {
    return undefined;
  }
}
