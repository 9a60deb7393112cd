/**
 * For labellers: lists the candidate source calls (candidates.ts) in each package's analysed files, next to the
 * label they have in dataset.json, so a call nobody labelled stands out. Reads the packages installed by the runner.
 *
 * Usage: node out/test/eval/list.js [name…]        (all packages when none is given)
 *        add --all to also show calls that merely contain "read" (aliases such as `fsReadFilePromise`)
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listCandidates } from './candidates';
import { loadDataset, packageKey, siteKey } from './dataset';
import { packageDir } from './install';

const repoRoot = resolve(__dirname, '..', '..', '..');
const args = process.argv.slice(2);
const showAll = args.includes('--all');
const names = new Set(args.filter((a) => a !== '--all'));
const { packages, sites } = loadDataset(join(repoRoot, 'test', 'eval'));
let unlabelled = 0;
for (const p of packages) {
  if (names.size && !names.has(p.name) && !names.has(packageKey(p))) continue;
  const dir = packageDir(join(repoRoot, '.cache', 'eval', 'pkgs'), p);
  for (const file of p.files) {
    const labels = sites.filter((s) => siteKey(s) === packageKey(p) && s.file === file);
    for (const c of listCandidates(file, readFileSync(join(dir, file), 'utf8'))) {
      if (!showAll && !c.exactName) continue;
      const label = labels.find((s) => s.line === c.line);
      if (!label && c.kind !== 'ref') unlabelled++;
      const what = label ? `${label.label}${label.recommendation ? ' → ' + label.recommendation : ''}` : c.kind === 'ref' ? '(reference, not a call)' : 'UNLABELLED';
      console.log(`${packageKey(p)} ${file}:${c.line}:${c.column} ${c.callee}  ${what}`);
    }
  }
}
console.log(`${unlabelled} candidate call(s) without a label`);
