// Compiles the C programs of bench/c into bench/build (git-ignored) when their source is newer.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export function buildC(name) {
  const source = path.join(benchDir, 'c', `${name}.c`);
  const output = path.join(benchDir, 'build', name);
  fs.mkdirSync(path.dirname(output), { recursive: true });
  if (!fs.existsSync(output) || fs.statSync(output).mtimeMs < fs.statSync(source).mtimeMs) {
    execFileSync(process.env.CC ?? 'cc', ['-O2', '-Wall', '-o', output, source], { stdio: 'inherit' });
  }
  return output;
}
