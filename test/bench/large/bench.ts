/**
 * Large files through the real CLI: generated files of 2 to 50 MB (the LSP benchmark's real
 * modules, each in its own wrapper, over and over), each checked with the size limit raised
 * (`zerocopy check <file> --max-file-size 100000000 --format json`) in a fresh process. Time and
 * memory must grow linearly with the size, and a file the process has not the memory for must
 * be skipped with the reason, never abort: one more run gives the largest file a 1 GB heap.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from '../corpus/install';
import type { CorpusSpec } from '../corpus/spec';
import { measureChild, type Measurement } from '../measure';
import { CACHE_DIR, CLI_JS } from '../paths';

export const LARGE_DIR = join(CACHE_DIR, 'large');
export const SMALL_HEAP_FLAG = '--max-old-space-size=1024';

export interface LargeRun {
  mb: number;
  bytes: number;
  lines: number;
  nodeFlags: string[];
  m?: Measurement;
  findings?: number;
  skipped?: string;
  error?: string;
}

/** `mb` 0: a one-line file, to measure what a check costs whatever the file (starting Node, loading the CLI). */
function generate(spec: CorpusSpec, mb: number): { path: string; bytes: number; lines: number } {
  const unit = spec.lspFile.sources
    .map((s) => `;(function () {\n${readFileSync(join(packageDir(s.package), s.path), 'utf8').replace(/^#!.*\n/, '')}\n})();\n`)
    .join('');
  const text = mb === 0 ? "require('fs');\n" : unit.repeat(Math.ceil((mb * 1e6) / unit.length));
  mkdirSync(LARGE_DIR, { recursive: true });
  const path = join(LARGE_DIR, `${mb}mb.js`);
  writeFileSync(path, text);
  return { path, bytes: text.length, lines: text.split('\n').length - 1 };
}

async function checkOne(file: { path: string; bytes: number; lines: number }, mb: number, nodeFlags: string[]): Promise<LargeRun> {
  const tag = `${mb}mb${nodeFlags.length ? '-small-heap' : ''}`;
  const stdoutFile = join(LARGE_DIR, `${tag}.json`);
  const out: LargeRun = { mb, bytes: file.bytes, lines: file.lines, nodeFlags };
  try {
    out.m = await measureChild({
      args: [CLI_JS, 'check', file.path, '--max-file-size', '100000000', '--format', 'json'],
      nodeFlags,
      stdoutFile,
      usageFile: join(LARGE_DIR, `${tag}.usage.json`),
      timeoutMs: 30 * 60_000,
    });
    if (out.m.exitCode === 0 || out.m.exitCode === 1) {
      const report = JSON.parse(readFileSync(stdoutFile, 'utf8')) as { findings: unknown[]; skipped: Array<{ reason: string }> };
      out.findings = report.findings.length;
      out.skipped = report.skipped[0]?.reason;
    } else {
      out.error = `exit ${out.m.exitCode ?? out.m.signal}${out.m.timedOut ? ' (timed out)' : ''}: ${/^FATAL ERROR:.*$/m.exec(out.m.stderrTail)?.[0] ?? out.m.stderrTail.trim().slice(-300)}`;
    }
  } catch (err) {
    out.error = (err as Error).message;
  }
  return out;
}

/** The first run is the fixed cost (a one-line file); then each size, and the largest once more under a 1 GB heap. */
export async function runLargeFiles(spec: CorpusSpec, sizes: number[], log: (line: string) => void): Promise<LargeRun[]> {
  const runs: LargeRun[] = [];
  const largest = Math.max(...sizes);
  for (const mb of [0, ...sizes]) {
    const file = generate(spec, mb);
    const flagsList = mb === largest ? [[], [SMALL_HEAP_FLAG]] : [[]];
    for (const flags of flagsList) {
      const r = await checkOne(file, mb, flags);
      runs.push(r);
      log(`  ${mb} MB${flags.length ? ` (${flags.join(' ')})` : ''}: ${r.error ?? (r.skipped ? `skipped: ${r.skipped}` : `${r.findings} findings`)}, ${((r.m?.wallMs ?? NaN) / 1000).toFixed(1)} s`);
    }
  }
  return runs;
}
