/**
 * The large-file figures: time and memory per MB above the fixed cost of a check (a one-line
 * file: starting Node, loading the CLI), which linear growth keeps flat, and what happened to
 * each file.
 */
import { fmt } from '../stats';
import type { LargeRun } from './bench';

const cpuS = (r: LargeRun): number => (r.m?.usage ? (r.m.usage.cpuUserMs + r.m.usage.cpuSystemMs) / 1000 : NaN);
const rssMb = (r: LargeRun): number => r.m?.usage?.maxRssMb ?? NaN;

export function largeReport(runs: LargeRun[]): string[] {
  const [base, ...sized] = runs;
  if (!base) return [];
  const lines = [
    `Large files (generated from the LSP benchmark's modules, each in its own wrapper, over and over; \`zerocopy check <file> --max-file-size 100000000\`, one fresh process each). ` +
      `The fixed cost, a one-line file: ${fmt(cpuS(base), 1)} s CPU, ${fmt(rssMb(base))} MB peak RSS; per MB below is above it.`,
    '',
    '| size | lines | wall | CPU | CPU per MB | peak RSS | RSS per MB | outcome |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const perMb = (r: LargeRun): number => (cpuS(r) - cpuS(base)) / (r.bytes / 1e6);
  for (const r of sized) {
    const mb = r.bytes / 1e6;
    const outcome = r.error ? `**crashed**: ${r.error}` : r.skipped ? `skipped: ${r.skipped}` : `${fmt(r.findings ?? 0)} findings`;
    lines.push(
      `| ${fmt(mb, 1)} MB${r.nodeFlags.length ? ` (\`${r.nodeFlags.join(' ')}\`)` : ''} | ${fmt(r.lines)} | ${fmt((r.m?.wallMs ?? NaN) / 1000, 1)} s | ${fmt(cpuS(r), 1)} s | ` +
        `${fmt(perMb(r), 2)} s | ${fmt(rssMb(r))} MB | ${fmt((rssMb(r) - rssMb(base)) / mb, 1)} MB | ${outcome} |`,
    );
  }
  const analysed = sized.filter((r) => !r.error && !r.skipped && !r.nodeFlags.length && r.m?.usage);
  if (analysed.length >= 2) {
    const [small, big] = [analysed[0]!, analysed[analysed.length - 1]!];
    lines.push('');
    lines.push(`CPU per MB at ${fmt(big.bytes / 1e6)} MB is ${fmt(perMb(big) / perMb(small), 2)}× that at ${fmt(small.bytes / 1e6)} MB (1× is linear). Crashes: ${sized.filter((r) => r.error).length}.`);
  }
  return lines;
}
