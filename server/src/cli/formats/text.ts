/**
 * The human format, like a compiler's: one line per finding (`file:line:col  rule  message
 * [recommendation]`, 1-based), the path the bytes take indented below it, a summary last.
 */
import type { Location } from '../../engine';
import type { CheckReport } from '../check';
import { displayPath } from '../displayPath';

export function formatText(report: CheckReport): string {
  const where = (l: Location) => `${displayPath(l.fileName, report.cwd)}:${l.range.start.line + 1}:${l.range.start.character + 1}`;
  const out: string[] = [];
  for (const f of report.findings) {
    out.push(`${where({ fileName: f.fileName, range: f.range })}  ${f.rule}  ${f.message}  [${f.recommendation}]`);
    for (const step of f.steps) out.push(`    ${where(step.location)}  ${step.message}`);
    const fix = report.fixes?.get(f);
    if (fix?.fix) out.push(`    fix: ${fix.fix}`);
    else if (fix?.noFix) out.push(`    no fix: ${fix.noFix}`);
  }
  if (report.findings.length > 0) out.push('');
  out.push(summary(report));
  return out.join('\n') + '\n';
}

export function summary(report: CheckReport): string {
  const n = report.findings.length;
  const files = new Set(report.findings.map((f) => f.fileName)).size;
  const analysed = report.files.length - report.skipped.length - report.errors.length;
  const details = [`${analysed} ${plural(analysed, 'file')} analysed`];
  if (report.skipped.length > 0) details.push(`${report.skipped.length} skipped`);
  if (report.errors.length > 0) details.push(`${report.errors.length} failed`);
  const head = n === 0 ? 'No findings' : `${n} ${plural(n, 'finding')} in ${files} ${plural(files, 'file')}`;
  return `${head} (${details.join(', ')}).`;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : word + 's';
}
