/**
 * The engine fuzz cases, run in a child process so that a hang is seen (and the process killed) by
 * the parent rather than freezing the test runner: `node engine-cases.js <seed> <first> <count>`.
 * One JSON line per case on stdout, written before (`start`) and after (`ok` / `error`) it runs.
 */
import { analyzeFile, Project, type ProjectFiles } from '../../../server/src/engine';
import { realSources } from '../support/corpus';
import { applyEdit, Random, randomEdit, randomText } from '../support/random';

const EXTENSIONS = ['.js', '.ts', '.tsx', '.jsx', '.mjs', '.cjs', '.mts'];
const KINDS = ['random text', 'truncated real code', 'edit sequence'] as const;
export type CaseKind = (typeof KINDS)[number];

const sources = realSources();

/** Other files of the project: for some names a cut of real code, for others nothing. */
function projectFiles(seed: number, index: number): ProjectFiles {
  return {
    getText(fileName: string): string | undefined {
      let h = 0;
      for (let i = 0; i < fileName.length; i++) h = Math.imul(h ^ fileName.charCodeAt(i), 16777619);
      const r = new Random(seed, index * 1000 + (h >>> 16));
      if (r.chance(0.3)) return undefined;
      const text = r.pick(sources);
      return text.slice(0, r.int(0, text.length));
    },
  };
}

function truncated(r: Random): string {
  const text = r.pick(sources);
  const cut = r.int(0, text.length);
  // A prefix (typing at the end), or a span cut out of the middle (a bad paste).
  if (r.chance(0.5)) return text.slice(0, cut);
  return text.slice(0, cut) + text.slice(Math.min(text.length, cut + r.int(1, 200)));
}

export function runCase(seed: number, index: number): CaseKind {
  const r = new Random(seed, index);
  const kind = r.pick(KINDS);
  const fileName = `/fuzz/case${index}/file${r.pick(EXTENSIONS)}`;
  const project = new Project(projectFiles(seed, index));
  if (kind === 'random text') {
    analyzeFile(fileName, randomText(r, 3000), { project });
  } else if (kind === 'truncated real code') {
    analyzeFile(fileName, truncated(r), { project });
  } else {
    let text = r.chance(0.8) ? r.pick(sources) : randomText(r, 1000);
    analyzeFile(fileName, text, { project });
    for (let edit = 0; edit < 12; edit++) {
      text = applyEdit(text, randomEdit(r, text));
      project.invalidate(fileName);
      analyzeFile(fileName, text, { project });
    }
  }
  return kind;
}

if (require.main === module) {
  const [seed, first, count] = process.argv.slice(2).map(Number) as [number, number, number];
  for (let index = first; index < first + count; index++) {
    process.stdout.write(JSON.stringify({ case: index, state: 'start' }) + '\n');
    try {
      const kind = runCase(seed, index);
      process.stdout.write(JSON.stringify({ case: index, state: 'ok', kind }) + '\n');
    } catch (error) {
      process.stdout.write(JSON.stringify({ case: index, state: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }) + '\n');
    }
  }
}
