import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (tests run from `out/test/<layer>/…`, sources live in `test/<layer>/…`). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

/** Screenshots and logs a failed (or passed) run leaves behind; git-ignored. */
export function artifactsDir(suite: string): string {
  const dir = join(REPO_ROOT, 'test-results', suite);
  mkdirSync(dir, { recursive: true });
  return dir;
}
