/**
 * The workspace analysed through the LSP: `count` files sampled evenly (in path order) from the
 * measured corpus, copied with their package-relative paths, so it mixes packages the way a
 * monorepo would. Rebuilt only when the sample changes.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CORPUS_DIR, LSP_DIR } from '../paths';
import type { CorpusListing } from '../corpus/walk';

export interface Workspace {
  dir: string;
  files: number;
  lines: number;
}

const MANIFEST = '.bench-workspace.json';

export function buildWorkspace(listing: CorpusListing, count: number): Workspace {
  const dir = join(LSP_DIR, `workspace-${count}`);
  const step = listing.files.length / count;
  const picked: string[] = [];
  for (let i = 0; i < count && i < listing.files.length; i++) picked.push(listing.files[Math.floor(i * step)]!);
  const rel = picked.map((f) => relative(join(CORPUS_DIR, 'node_modules'), f));
  const manifestPath = join(dir, MANIFEST);
  const fresh = existsSync(manifestPath) && readFileSync(manifestPath, 'utf8') === JSON.stringify(rel);
  if (!fresh) {
    rmSync(dir, { recursive: true, force: true });
    for (const [i, r] of rel.entries()) {
      mkdirSync(dirname(join(dir, r)), { recursive: true });
      copyFileSync(picked[i]!, join(dir, r));
    }
    writeFileSync(manifestPath, JSON.stringify(rel));
  }
  let lines = 0;
  for (const f of picked) lines += readFileSync(f, 'utf8').split('\n').length;
  return { dir, files: picked.length, lines };
}
