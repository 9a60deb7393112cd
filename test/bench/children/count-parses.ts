/**
 * How much parsing `zerocopy check` really does, counted (untimed) by running the CLI's own
 * `runCheck` from the tsc output with the engine's `parse()` wrapped: the engine skips files
 * that cannot reach fs (a text pre-scan) and generated code, and may parse a module more than
 * once (imports resolved for cross-file summaries, cache evictions). The parse floor parses
 * every file once, so this is what the check / floor ratio has to be read against.
 *   node count-parses.js <job.json> <result.json>
 */
import { writeFileSync } from 'node:fs';
import { readJob } from './job';

export interface ParseCount {
  parseCalls: number;
  distinctFiles: number;
  charsParsed: number;
  /** Characters of the distinct files parsed (each counted once). */
  distinctChars: number;
  findings: number;
}

async function main(): Promise<void> {
  const [jobFile, resultFile] = process.argv.slice(2);
  if (!jobFile || !resultFile) throw new Error('usage: count-parses <job.json> <result.json>');
  const job = readJob(jobFile);
  const parseModule = require('../../../server/src/engine/parse') as typeof import('../../../server/src/engine/parse');
  const original = parseModule.parse;
  const perFile = new Map<string, number>();
  let calls = 0;
  let chars = 0;
  // Compiled CommonJS reads `parse_1.parse` at each call, so replacing the export is seen by the engine.
  (parseModule as { parse: typeof original }).parse = (fileName, text) => {
    calls++;
    chars += text.length;
    perFile.set(fileName, text.length);
    return original(fileName, text);
  };
  const { runCheck } = require('../../../server/src/cli/check') as typeof import('../../../server/src/cli/check');
  const report = await runCheck({ paths: job.roots, maxFileSize: job.maxFileSize, cwd: job.baseDir });
  const result: ParseCount = {
    parseCalls: calls,
    distinctFiles: perFile.size,
    charsParsed: chars,
    distinctChars: [...perFile.values()].reduce((a, b) => a + b, 0),
    findings: report.findings.length,
  };
  writeFileSync(resultFile, JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
