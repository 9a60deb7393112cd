/** `zerocopy check …`: arguments in, report out (stdout or --output), exit status back. */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCheckArgs, type Format } from './checkArgs';
import { runCheck, type CheckReport } from './check';
import { displayPath } from './displayPath';
import { formatJson } from './formats/json';
import { formatSarif } from './formats/sarif';
import { formatText } from './formats/text';
import { fixOf, planFixes, type FixPlan } from './fixPlan';
import { unifiedDiff } from './diff';
import { CliError, EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR } from './errors';
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
  const request = {
    paths: options.paths,
    ...(options.rules ? { rules: options.rules } : {}),
    maxFileSize: options.maxFileSize,
    cwd,
  };
  let report = await runCheck(request);
  for (const s of report.skipped) process.stderr.write(`zerocopy: skipped ${displayPath(s.fileName, cwd)}: ${s.reason}\n`);
  for (const e of report.errors) process.stderr.write(`zerocopy: error: analysing ${displayPath(e.fileName, cwd)} failed:\n${e.message}\n`);
  // What --fix says goes to stdout, unless stdout carries a machine-readable report.
  const say = (text: string) => (options.format !== 'text' && options.output === undefined ? process.stderr : process.stdout).write(text);
  if (options.fix && report.errors.length === 0) {
    const plan = await planFixes(request, report);
    if (options.fix === 'apply') writeChanges(plan);
    say(describePlan(plan, options.fix, cwd));
    report = plan.report;
    report.fixes = new Map(plan.left.map((l) => [l.finding, { noFix: l.reason }]));
  } else if (options.format !== 'sarif') {
    report.fixes = new Map(report.findings.map((f) => {
      const { fix, noFix } = fixOf(report, f);
      return [f, fix ? { fix: fix.title } : { noFix: noFix! }];
    }));
  }
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

/** Writes the fixed texts, keeping a byte-order mark the file had (the analysis reads without it). */
function writeChanges(plan: FixPlan): void {
  for (const [fileName, { after }] of plan.changed) {
    let bom = '';
    try {
      bom = readFileSync(fileName).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? '\uFEFF' : '';
    } catch {
      // A file that vanished is written anew.
    }
    try {
      writeFileSync(fileName, bom + after);
    } catch (error) {
      throw new CliError(`cannot write ${fileName} (${(error as NodeJS.ErrnoException).code ?? String(error)}); the files listed before it were written`);
    }
  }
}

function describePlan(plan: FixPlan, mode: 'apply' | 'dry-run', cwd: string): string {
  const out: string[] = [];
  if (mode === 'dry-run') {
    for (const [fileName, { before, after }] of plan.changed) {
      const path = displayPath(fileName, cwd);
      out.push(unifiedDiff(`a/${path}`, `b/${path}`, before, after).trimEnd());
    }
    if (plan.changed.size) out.push('');
  }
  const verb = mode === 'apply' ? 'fixed' : 'would fix';
  for (const { finding, fix } of plan.fixed) {
    out.push(`${verb}  ${displayPath(finding.fileName, cwd)}:${finding.range.start.line + 1}:${finding.range.start.character + 1}  ${finding.rule}  ${fix.title}`);
  }
  const files = [...plan.changed.keys()].map((f) => displayPath(f, cwd));
  const n = plan.fixed.length;
  const left = plan.left.length;
  const changedWord = mode === 'apply' ? 'changed' : 'would change';
  out.push(`${n} ${n === 1 ? 'finding' : 'findings'} ${mode === 'apply' ? 'fixed' : 'to fix'}${files.length ? `; ${changedWord} ${files.join(', ')}` : ''}; ${left} left${left ? ' (each says why below)' : ''}.`);
  return out.join('\n') + '\n\n';
}
