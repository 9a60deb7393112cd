/**
 * The peer: ESLint 9 (flat config, programmatic API) with typescript-eslint's parser and the one
 * comparable rule, on exactly the files the engine analyses. Single-threaded, no cache.
 *   node eslint-peer.js <job.json> <result.json>
 */
import { performance } from 'node:perf_hooks';
import { readJob, writeResult } from './job';

async function main(): Promise<void> {
  const [jobFile, resultFile] = process.argv.slice(2);
  if (!jobFile || !resultFile) throw new Error('usage: eslint-peer <job.json> <result.json>');
  const job = readJob(jobFile);

  const t0 = performance.now();
  // Loaded here so the phase timings show what loading ESLint + the parser costs.
  const { ESLint } = require('eslint') as typeof import('eslint');
  const { peerConfig, PEER_RULE_ID } = require('../peer/config') as typeof import('../peer/config');
  const eslint = new ESLint({
    cwd: job.baseDir,
    overrideConfigFile: true,
    overrideConfig: peerConfig(),
    // Ignoring stays on: `ignore: false` would also drop the config's `!**/node_modules/`, and
    // ESLint's default ignore of node_modules would then skip the whole corpus.
    globInputPaths: false, // the paths are files, not patterns
    allowInlineConfig: false,
    cache: false,
    concurrency: 'off',
  });
  const t1 = performance.now();
  const results = await eslint.lintFiles(job.files);
  const t2 = performance.now();

  let findings = 0;
  let fatal = 0;
  for (const r of results) {
    // A file ESLint skipped would make the peer look faster than it is: refuse to report.
    const ignored = r.messages.find((m) => m.ruleId === null && !m.fatal && /ignored/i.test(m.message));
    if (ignored) throw new Error(`ESLint did not lint ${r.filePath}: ${ignored.message}`);
    if (r.messages.some((m) => m.fatal)) fatal++;
    findings += r.messages.filter((m) => m.ruleId === PEER_RULE_ID).length;
  }
  writeResult(resultFile, {
    files: results.length,
    findings,
    filesWithSyntaxErrors: fatal,
    phases: { loadESLint: t1 - t0, lint: t2 - t1 },
    notes: [`eslint ${ESLint.version}`],
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
