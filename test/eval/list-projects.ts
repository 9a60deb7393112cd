/**
 * For labellers of the second set: materialises the projects (never runs the engine), lists the candidate source
 * calls (candidates.ts) in each project's scored files next to their label in projects-dataset.json, and says how
 * many files are scored, so a call nobody labelled stands out.
 *
 * Usage: node out/test/eval/list-projects.js [name…] [--set 2|3|4] [--all] [--context N] [--unlabelled]
 *   --set N       a project set of project-sets.ts (set3/, set4/…); the second by default
 *   --all         also calls that merely contain "read" (aliases such as `readFileAsync`, and many non-sources)
 *   --context N   print N lines either side of each candidate
 *   --unlabelled  only candidates without a label
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listCandidates } from './candidates';
import { materialise } from './materialise';
import { projectFiles } from './project-files';
import { projectSetDir } from './project-sets';
import { excludesOf, loadProjectSet } from './projects-set';

const repoRoot = resolve(__dirname, '..', '..', '..');
const cacheRoot = join(repoRoot, '.cache', 'eval', 'projects');

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const showAll = args.includes('--all');
  const onlyUnlabelled = args.includes('--unlabelled');
  const context = Number(option(args, '--context') ?? 0);
  const names = new Set(args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--context' && args[i - 1] !== '--set'));
  const set = loadProjectSet(projectSetDir(join(repoRoot, 'test', 'eval'), Number(option(args, '--set') ?? '2')));
  const { projects, sites } = set;
  let unlabelled = 0;
  for (const p of projects) {
    if (names.size && !names.has(p.name)) continue;
    const m = materialise(cacheRoot, p, (l) => console.log(l));
    if (!m.ok) {
      console.log(`${p.name}: not available: ${m.reason}`);
      continue;
    }
    const files = await projectFiles(m.dir, p, excludesOf(set, p));
    const note = files.scored.length === p.scoredFiles ? '' : `  (projects.json says ${p.scoredFiles})`;
    console.log(`== ${p.name}: ${files.walked.length} files walked, ${files.scored.length} scored${note}`);
    for (const file of files.scored) {
      const text = readFileSync(join(files.folder, file), 'utf8');
      const lines = text.split('\n');
      const labels = sites.filter((s) => s.project === p.name && s.file === file);
      for (const c of listCandidates(file, text)) {
        if (!showAll && !c.exactName) continue;
        const label = labels.find((s) => s.line === c.line && s.column === c.column) ?? labels.find((s) => s.line === c.line);
        if (!label && c.kind !== 'ref') unlabelled++;
        if (onlyUnlabelled && (label || c.kind === 'ref')) continue;
        const what = label ? `${label.label}${label.recommendation ? ' → ' + label.recommendation : ''}` : c.kind === 'ref' ? '(reference, not a call)' : 'UNLABELLED';
        console.log(`${p.name} ${file}:${c.line}:${c.column} ${c.callee}  ${what}`);
        if (context > 0) {
          for (let i = Math.max(0, c.line - 1 - context); i < Math.min(lines.length, c.line + context); i++) {
            console.log(`    ${String(i + 1).padStart(5)}${i === c.line - 1 ? '>' : ' '} ${lines[i]!.slice(0, 200)}`);
          }
        }
      }
    }
  }
  console.log(`${unlabelled} candidate call(s) without a label`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 2;
});
