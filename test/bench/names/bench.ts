/**
 * The name lookup as the project grows (issue 12): synthetic projects of 1,000 to 10,000 files,
 * each size in a fresh process (children/names.ts). Figures, never a verdict: what it costs to
 * analyse every file, to re-analyse an edited handler, and the memory, per size.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CHILDREN_DIR } from '../paths';
import { fmt } from '../stats';

export interface NamesRun {
  files: number;
  handlers: number;
  readers: number;
  readersFound: number;
  findings: number;
  checkMs: number;
  editP50: number;
  editP95: number;
  heapMB: number;
  rssMB: number;
  peakRssMB: number;
}

export const NAME_SIZES = [1_000, 2_500, 5_000, 10_000];

export function runNamesBench(sizes: readonly number[], log: (line: string) => void): NamesRun[] {
  const runs: NamesRun[] = [];
  for (const size of sizes) {
    log(`  name lookup: ${fmt(size)} files…`);
    const r = spawnSync(process.execPath, [join(CHILDREN_DIR, 'names.js'), String(size), '20'], { encoding: 'utf8', timeout: 30 * 60_000, maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`names child for ${size} files failed: ${r.stderr || r.error}`);
    runs.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as NamesRun);
  }
  return runs;
}

export function namesReport(runs: readonly NamesRun[]): string[] {
  const lines = [
    'Synthetic projects (test/bench/names/project.ts): about 26% of the files define the same method names (read, load, fetch, stream…) without reading files,',
    '2% wrap another object, 1% read files and hand a stream out under one of those names, 1% are handlers calling one on an injected object.',
    'Each size in a fresh process: every file analysed once through one Project listing them all (as `zerocopy check`), then 20 edits of one handler (invalidate, analyse).',
    '',
    '| files | handlers | readers found | check, all files | per file | edit p50 | edit p95 | heap after | peak RSS |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of runs) {
    lines.push(
      `| ${fmt(r.files)} | ${r.handlers} | ${r.readersFound}/${r.readers} | ${fmt(r.checkMs / 1000, 1)} s | ${fmt(r.checkMs / r.files, 2)} ms | ${fmt(r.editP50, 1)} ms | ${fmt(r.editP95, 1)} ms | ${fmt(r.heapMB, 0)} MB | ${fmt(r.peakRssMB, 0)} MB |`,
    );
  }
  return lines;
}
