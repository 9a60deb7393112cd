/**
 * Run by edit-memory.test.ts as `node --expose-gc edit-versions.js <versions>`: one long-lived
 * Project analyses a 2,000-line file at every version of a day of typing (a space typed at the
 * end of a line all over the file, then deleted), as the language server does. Prints, as JSON,
 * how many syntax trees of earlier versions are still alive after a full GC (watched through
 * WeakRefs) and the live heap after a warm-up and at the end.
 */
import { readFileSync } from 'node:fs';
import { analyzeFile, Project } from '../../../server/src/engine';
import { repoPath } from '../repo';

const MODULES = ['node_modules/form-data/lib/form_data.js', 'node_modules/tar-fs/index.js', 'node_modules/pump/index.js', 'examples/media-server/src/routes/downloads.js'];
const WARMUP = 100;

/** The heap after a full GC, in a later turn of the event loop (a WeakRef keeps its target until the current one ends). */
async function liveHeap(gc: () => void): Promise<number> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const versions = Number(process.argv[2] ?? 600);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const modules = MODULES.map((p) => `;(function () {\n${readFileSync(repoPath(p), 'utf8').replace(/^#!.*\n/, '')}\n})();\n`).join('');
  // Twice over (each module in its own wrapper): about 2,000 lines, with findings.
  const original = modules + modules;
  const fileName = '/p/edited.js';
  let text = original;
  const project = new Project({ getText: (f) => (f === fileName ? text : undefined) });
  const lineEnds: number[] = [];
  for (let i = original.indexOf('\n'); i !== -1; i = original.indexOf('\n', i + 1)) lineEnds.push(i);

  const trees: Array<WeakRef<object>> = [];
  const findings = analyzeFile(fileName, text, { project }).findings.length;
  let heapAfterWarmup = 0;
  let at = -1;
  for (let v = 1; v <= versions; v++) {
    // A space typed at the end of a line (each time another one), and deleted at the next version.
    if (at < 0) {
      at = lineEnds[(v * 7919) % lineEnds.length]!;
      text = original.slice(0, at) + ' ' + original.slice(at);
    } else {
      text = original;
      at = -1;
    }
    project.invalidate(fileName);
    analyzeFile(fileName, text, { project });
    const tree = project.parsed(fileName, text).sf;
    if (tree) trees.push(new WeakRef(tree));
    if (v === Math.min(WARMUP, versions)) heapAfterWarmup = await liveHeap(gc);
  }
  const heapAtEnd = await liveHeap(gc);
  // The current version's tree is alive; none before it should be.
  const oldTreesAlive = trees.slice(0, -1).filter((t) => t.deref() !== undefined).length;
  process.stdout.write(JSON.stringify({ lines: lineEnds.length, findings, versions, oldTreesAlive, heapAfterWarmup, heapAtEnd }) + '\n');
}

void main();
