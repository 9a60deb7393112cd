/** The LSP figures: edit latency percentiles (goal p95 <= 30 ms) and RSS after a workspace (goal <= 250 MB). */
import { fmt, judge, percentile, summarize } from '../stats';
import { UNLIMITED_HEAP_FLAG, type EditRound, type WorkspaceRound } from './bench';
import type { EditedFile } from './build-file';
import type { Workspace } from './workspace';

export const LSP_GOALS = { editP95Ms: 30, rssMb: 250 } as const;

export function lspReport(file: EditedFile, ws: Workspace, edits: EditRound[], workspace: WorkspaceRound[], unlimited?: WorkspaceRound): string[] {
  const lines: string[] = [];
  const all = edits.flatMap((r) => r.latencies);
  const perRoundP95 = edits.filter((r) => r.latencies.length > 0).map((r) => percentile(r.latencies, 95));
  const missing = edits.reduce((n, r) => n + r.missing, 0);
  const byOrder = edits.some((r) => r.matchedBy === 'order');
  lines.push(`Edit latency (${file.lines.toLocaleString('en-US')}-line file, ${edits[0]?.edits ?? 0} typing edits per round, one character each, ${edits.length} round${edits.length === 1 ? '' : 's'}, fresh server each):`);
  if (all.length === 0) lines.push('- not measured: no edit round completed (below)');
  else {
    const p = summarize(perRoundP95);
    lines.push(`- didChange → publishDiagnostics: p50 ${fmt(percentile(all, 50), 1)} ms, p95 **${fmt(percentile(all, 95), 1)} ms**, max ${fmt(Math.max(...all), 1)} ms (all ${all.length} edits pooled)`);
    lines.push(`- p95 per round: ${perRoundP95.map((v) => fmt(v, 1)).join(', ')} ms — goal p95 ≤ ${LSP_GOALS.editP95Ms} ms: **${judge(p, LSP_GOALS.editP95Ms, 'atMost')}**`);
    const opens = edits.map((r) => r.openMs).filter((v): v is number => v !== undefined);
    lines.push(`- didOpen → first diagnostics: ${opens.map((v) => fmt(v)).join(', ')} ms; diagnostics in the file: ${[...new Set(edits.map((r) => r.diagnosticsOnOpen))].join(' / ')}`);
    if (edits.some((r) => r.diagnosticsOnOpen === 0)) lines.push('- WARNING: the server reported no findings in the edited file, which was built to have some');
    if (missing) lines.push(`- ${missing} edits got no diagnostics within the timeout (left out of the percentiles)`);
    lines.push(`- matched by: ${byOrder ? 'order (the server omits `version` in publishDiagnostics)' : 'the `version` field of publishDiagnostics'}`);
  }
  const failedEdits = edits.filter((r) => r.error);
  for (const r of failedEdits) lines.push(`- round ${r.round + 1} failed: ${r.error}`);

  lines.push('');
  lines.push(`Workspace (${ws.files.toLocaleString('en-US')} files, ${ws.lines.toLocaleString('en-US')} lines from the corpus, zerocopy/analyzeWorkspace):`);
  const ok = workspace.filter((r) => r.after);
  if (ok.length === 0) lines.push('- not measured: the analysis did not complete in any round (below)');
  else {
    const after = summarize(ok.map((r) => r.after!.rssMb));
    const peak = summarize(ok.map((r) => r.after!.peakRssMb));
    const time = summarize(ok.map((r) => r.analyseMs!));
    const res = ok[ok.length - 1]!.result;
    lines.push(`- analysis: ${fmt(time.median)} ms (min ${fmt(time.min)}, max ${fmt(time.max)}); result ${res ? `${res.files} files, ${res.findings} findings, ${res.skipped} skipped${res.cancelled ? ', CANCELLED' : ''}` : 'n/a'}`);
    lines.push(`- RSS after: **${fmt(after.median)} MB** (rounds ${fmt(after.min)}–${fmt(after.max)}), peak (VmHWM) ${fmt(peak.median)} MB, idle before ${fmt(ok[0]!.idle?.rssMb ?? NaN)} MB — goal ≤ ${LSP_GOALS.rssMb} MB: **${judge(after, LSP_GOALS.rssMb, 'atMost')}** (peak: ${judge(peak, LSP_GOALS.rssMb, 'atMost')})`);
  }
  for (const r of workspace.filter((r) => r.error)) {
    lines.push(`- round ${r.round + 1} failed: ${r.error}; highest RSS seen (sampled every 100 ms): ${fmt(r.maxSampledRssMb ?? NaN)} MB`);
  }
  if (unlimited) {
    lines.push(
      unlimited.after
        ? `- the same analysis with \`${UNLIMITED_HEAP_FLAG}\` (untimed, to see what it needs): ${fmt(unlimited.analyseMs ?? NaN)} ms, ` +
            `RSS after ${fmt(unlimited.after.rssMb)} MB, peak (VmHWM) ${fmt(unlimited.after.peakRssMb)} MB ` +
            `(${unlimited.after.rssMb <= LSP_GOALS.rssMb ? 'within' : 'over'} the ${LSP_GOALS.rssMb} MB goal, had it not crashed)`
        : `- the same analysis with \`${UNLIMITED_HEAP_FLAG}\` failed too: ${unlimited.error}`,
    );
  }
  return lines;
}
