/**
 * Child process of the eval runner: analyses one package's files from a given index on, writing one JSON line per
 * finished file to stdout. A separate process so that an engine hang on one file costs a timeout, not the whole run.
 *
 * Usage: node worker.js <dataDir> <packageDir> <name@version> <first file index>
 */
import { analyzeOne, packageProject } from './analyze-package';
import { loadDataset, packageKey } from './dataset';

const [dataDir, dir, key, first] = process.argv.slice(2);
if (!dataDir || !dir || !key || first === undefined) {
  console.error('usage: worker.js <dataDir> <packageDir> <name@version> <first file index>');
  process.exit(2);
}
const { packages } = loadDataset(dataDir);
const pkg = packages.find((p) => packageKey(p) === key);
if (!pkg) {
  console.error(`unknown package ${key}`);
  process.exit(2);
}
const project = packageProject(dir, pkg.files);
for (const file of pkg.files.slice(Number(first))) {
  process.stdout.write(JSON.stringify(analyzeOne(dir, project, file)) + '\n');
}
