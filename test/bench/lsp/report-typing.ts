/**
 * The figures of a day of typing and of edits faster than they are analysed, against their goals:
 * live heap growth under 15 MB over the first 2,000 edits and flat after (under 15 MB more over the
 * rest of a 10,000-edit day); a burst of 1,000 edits: the newest version within 3 s, at most 20
 * older ones published; at 60 edits/s, p95 within 50 ms.
 */
import { fmt, percentile } from '../stats';
import type { BurstResult, RateResult } from './burst';
import type { TypingDay } from './typing-day';

export const TYPING_GOALS = { growthFirst2000Mb: 15, growthAfterMb: 15, burstNewestMs: 3000, burstStale: 20, rateP95Ms: 50 } as const;

const verdict = (ok: boolean): string => (ok ? 'met' : 'not met');

export function typingReport(day: TypingDay | undefined, burst: BurstResult | undefined, rate: RateResult | undefined): string[] {
  const lines: string[] = [];
  if (day) {
    lines.push(`A day of typing (${fmt(day.lines)}-line file of the corpus's modules, ${fmt(day.edits)} one-character edits, a few at a line and then at another far away, each answered before the next; live heap after a forced full GC):`);
    const r = day.readings;
    if (r.length) lines.push(`- live heap: ${r.map((x) => `${fmt(x.edits)}: ${fmt(x.heapMb, 1)} MB`).join(', ')}; RSS at the end ${fmt(r[r.length - 1]!.rssMb)} MB`);
    const at = (edits: number) => r.find((x) => x.edits === edits);
    const start = at(0);
    const first = at(2000);
    const last = r[r.length - 1];
    if (start && first) {
      const growth = first.heapMb - start.heapMb;
      lines.push(`- growth over the first 2,000 edits: **${fmt(growth, 1)} MB** — goal < ${TYPING_GOALS.growthFirst2000Mb} MB: **${verdict(growth < TYPING_GOALS.growthFirst2000Mb)}**`);
    }
    if (first && last && last.edits > first.edits) {
      const growth = last.heapMb - first.heapMb;
      lines.push(
        `- growth from 2,000 to ${fmt(last.edits)} edits: **${fmt(growth, 1)} MB** (${fmt((growth * 1e6) / (last.edits - first.edits) / 1e3, 2)} KB per edit) — goal: flat, < ${TYPING_GOALS.growthAfterMb} MB: **${verdict(growth < TYPING_GOALS.growthAfterMb)}**`,
      );
    }
    if (day.missing) lines.push(`- ${day.missing} edits got no diagnostics within the timeout`);
    if (day.error) lines.push(`- FAILED after ${fmt(day.edits)} edits: ${day.error}`);
  }
  if (burst) {
    lines.push('');
    lines.push(`A burst (${fmt(burst.edits)} typing edits in one write to the server's stdin, on the benchmark's long file, after one edit answered):`);
    if (burst.error) lines.push(`- FAILED: ${burst.error}`);
    else {
      lines.push(
        `- newest version published after **${fmt(burst.newestMs!)} ms**, ${burst.stale} older versions published before it — goals ≤ ${TYPING_GOALS.burstNewestMs} ms: **${verdict(burst.newestMs! <= TYPING_GOALS.burstNewestMs)}**, ≤ ${TYPING_GOALS.burstStale} older: **${verdict(burst.stale! <= TYPING_GOALS.burstStale)}**`,
      );
    }
  }
  if (rate) {
    lines.push('');
    lines.push(`A steady ${rate.rate} edits/s (${fmt(rate.edits)} typing edits on the benchmark's long file after one edit answered, sent on schedule without waiting; an edit's latency: until a version at least as new is published):`);
    if (rate.error) lines.push(`- FAILED: ${rate.error}`);
    if (rate.latencies.length) {
      const p95 = percentile(rate.latencies, 95);
      lines.push(
        `- p50 ${fmt(percentile(rate.latencies, 50), 1)} ms, p95 **${fmt(p95, 1)} ms**, max ${fmt(Math.max(...rate.latencies), 1)} ms; ${fmt(rate.published)} versions published of ${fmt(rate.edits)} — goal p95 ≤ ${TYPING_GOALS.rateP95Ms} ms: **${verdict(p95 <= TYPING_GOALS.rateP95Ms)}**`,
      );
    }
  }
  return lines;
}
