/**
 * One size of the name-lookup bench, in a fresh process: a synthetic project of N files
 * (names/project.ts) analysed as `zerocopy check` does (one Project listing every file, each file
 * analysed once), then edits of one handler as the language server makes them (invalidate, analyse
 * again). Prints one JSON line: times, heap, peak RSS and what was found.
 *   node names.js <file count> <edits>
 */
import { performance } from 'node:perf_hooks';
import { analyzeFile, Project } from '../../../server/src/engine';
import { syntheticProject } from '../names/project';

const count = Number(process.argv[2] ?? 1000);
const edits = Number(process.argv[3] ?? 20);
const { files, handlers, readers } = syntheticProject(count);
const listing = [...files.keys()];
const project = new Project({ getText: (f) => files.get(f), list: () => listing }, undefined, 1024);

const started = performance.now();
const found = new Set<string>();
let findings = 0;
for (const fileName of listing) {
  const result = analyzeFile(fileName, files.get(fileName)!, { project });
  findings += result.findings.length;
  for (const f of result.findings) found.add(f.fileName);
}
const checkMs = performance.now() - started;
const heapAfterCheck = process.memoryUsage().heapUsed;

// Edits of one handler: each a new text, invalidated and analysed again (what typing does).
const times: number[] = [];
const handler = handlers[0];
if (handler) {
  let text = files.get(handler)!;
  for (let i = 0; i < edits; i++) {
    text = text.replace(/\n$/, `\n// edit ${i}\n`);
    files.set(handler, text);
    project.invalidate(handler);
    const t0 = performance.now();
    analyzeFile(handler, text, { project });
    times.push(performance.now() - t0);
  }
}
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
const readersFound = readers.filter((r) => found.has(r)).length;
console.log(
  JSON.stringify({
    files: count,
    handlers: handlers.length,
    readers: readers.length,
    readersFound,
    findings,
    checkMs,
    editP50: at(0.5),
    editP95: at(0.95),
    heapMB: heapAfterCheck / 1e6,
    rssMB: process.memoryUsage().rss / 1e6,
    peakRssMB: process.resourceUsage().maxRSS / 1e3,
  }),
);
