/**
 * The floor for this design: read each file and parse it exactly as the engine does, with the
 * engine's own `parse()` (server/src/engine/parse.ts: `ts.createSourceFile(name, text,
 * ScriptTarget.Latest, setParentNodes = true, ScriptKind from the extension)`, same TypeScript
 * as bundled into dist/cli.js), and do nothing else. Run as a fresh child process:
 *   node parse-floor.js <job.json> <result.json>
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { readJob, writeResult } from './job';

const [jobFile, resultFile] = process.argv.slice(2);
if (!jobFile || !resultFile) throw new Error('usage: parse-floor <job.json> <result.json>');
const job = readJob(jobFile);

const t0 = performance.now();
// Loaded here, not at the top, so the phase timings show what loading TypeScript costs.
const ts = require('typescript') as typeof import('typescript');
const { parse } = require('../../../server/src/engine/parse') as typeof import('../../../server/src/engine/parse');
const t1 = performance.now();

let readMs = 0;
let parseMs = 0;
let withErrors = 0;
for (const file of job.files) {
  const r0 = performance.now();
  const text = readFileSync(file, 'utf8');
  const r1 = performance.now();
  const sf = parse(file, text);
  parseMs += performance.now() - r1;
  readMs += r1 - r0;
  // parseDiagnostics is internal but stable; it tells how much of the corpus TS finds broken.
  if (((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length ?? 0) > 0) withErrors++;
}

writeResult(resultFile, {
  files: job.files.length,
  filesWithSyntaxErrors: withErrors,
  phases: { loadTypeScript: t1 - t0, read: readMs, parse: parseMs },
  notes: [`typescript ${ts.version}`, `the engine's parse(): setParentNodes=true, ScriptKind by extension`],
});
