/**
 * Lists the corpus the way the engine sees it: every file `isAnalyzableFile` accepts, below
 * each package folder, never descending into a nested node_modules (as `zerocopy check` walks a
 * directory). Files the engine would skip for size, and minified files set aside at install,
 * are counted apart: they are not part of the measured lines.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MAX_FILE_SIZE, isAnalyzableFile } from '../../../server/src/engine';
import { EXCLUDED_SUFFIX } from './install';

export interface Tally {
  files: number;
  lines: number;
  bytes: number;
}

export interface CorpusListing {
  /** Absolute paths of the measured files, sorted. */
  files: string[];
  /** Lines of each measured file (same order as `files`). */
  fileLines: number[];
  measured: Tally;
  /** Larger than the engine's default max file size: `zerocopy check` skips them unparsed. */
  oversize: Tally & { paths: string[] };
  /** `*.min.js` and friends, set aside at install. */
  minified: Tally;
  /** Measured tally per package folder. */
  perRoot: Map<string, Tally>;
}

function countLines(text: string): number {
  if (text.length === 0) return 0;
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n : n + 1;
}

function walk(dir: string, visit: (path: string) => void): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== '.git') walk(p, visit);
    } else if (e.isFile()) visit(p);
  }
}

const emptyTally = (): Tally => ({ files: 0, lines: 0, bytes: 0 });
function add(t: Tally, lines: number, bytes: number): void {
  t.files++;
  t.lines += lines;
  t.bytes += bytes;
}

export function listCorpus(roots: string[], maxFileSize = DEFAULT_MAX_FILE_SIZE): CorpusListing {
  const listing: CorpusListing = {
    files: [],
    fileLines: [],
    measured: emptyTally(),
    oversize: { ...emptyTally(), paths: [] },
    minified: emptyTally(),
    perRoot: new Map(),
  };
  for (const root of roots) {
    const rootTally = emptyTally();
    listing.perRoot.set(root, rootTally);
    walk(root, (path) => {
      if (path.endsWith(EXCLUDED_SUFFIX)) {
        if (isAnalyzableFile(path.slice(0, -EXCLUDED_SUFFIX.length))) {
          add(listing.minified, countLines(readFileSync(path, 'utf8')), statSync(path).size);
        }
        return;
      }
      if (!isAnalyzableFile(path)) return;
      const bytes = readFileSync(path);
      const text = bytes.toString('utf8');
      // The CLI compares the size in bytes before reading, the engine the length in UTF-16 units.
      if (bytes.length > maxFileSize || text.length > maxFileSize) {
        add(listing.oversize, countLines(text), bytes.length);
        listing.oversize.paths.push(path);
        return;
      }
      const lines = countLines(text);
      add(listing.measured, lines, bytes.length);
      add(rootTally, lines, bytes.length);
      listing.files.push(path);
      listing.fileLines.push(lines);
    });
  }
  return listing;
}
