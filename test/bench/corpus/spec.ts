/** The shape of test/bench/corpus.json, and loading it. */
import { readFileSync } from 'node:fs';
import { CORPUS_SPEC_FILE } from '../paths';

export interface PinnedPackage {
  name: string;
  /** An exact version: the corpus must be the same on every machine. */
  version: string;
  why: string;
}

export interface CorpusSpec {
  packages: PinnedPackage[];
  lspFile: { minLines: number; sources: { package: string; path: string }[] };
  workspace: { files: number };
}

export function loadCorpusSpec(): CorpusSpec {
  const spec = JSON.parse(readFileSync(CORPUS_SPEC_FILE, 'utf8')) as CorpusSpec;
  for (const p of spec.packages) {
    if (!/^\d+\.\d+\.\d+$/.test(p.version)) throw new Error(`corpus.json: ${p.name} must be pinned to an exact version, not ${p.version}`);
  }
  return spec;
}
