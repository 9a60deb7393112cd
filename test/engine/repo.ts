/** Where the repository's own files are, seen from the compiled tests in out/test/engine. */
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../..');
export const repoPath = (...parts: string[]): string => resolve(REPO_ROOT, ...parts);
