/**
 * Where the benchmark finds the repository and keeps its scratch files. Compiled to
 * out/test/bench/paths.js, so the repository root is three folders up.
 */
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
/** Git-ignored scratch space: the installed corpus, generated files, results, profiles. */
export const CACHE_DIR = join(REPO_ROOT, '.cache', 'bench');
export const CORPUS_DIR = join(CACHE_DIR, 'corpus');
export const RUNS_DIR = join(CACHE_DIR, 'runs');
export const RESULTS_DIR = join(CACHE_DIR, 'results');
export const PROFILES_DIR = join(CACHE_DIR, 'profiles');
export const LSP_DIR = join(CACHE_DIR, 'lsp');

/** The data file that pins the corpus (read from the source tree: it is data, not compiled). */
export const CORPUS_SPEC_FILE = join(REPO_ROOT, 'test', 'bench', 'corpus.json');
/** The real CLI, as `npm run build` leaves it. */
export const DIST_DIR = join(REPO_ROOT, 'dist');
export const DIST_CLI_JS = join(DIST_DIR, 'cli.js');
/**
 * What the bench runs: a copy of dist/ taken when the run starts, so that a rebuild by someone
 * else in the shared checkout cannot change the CLI between rounds. It stays inside the
 * repository, so the CLI still finds its package root and dependencies.
 */
export const CLI_SNAPSHOT_DIR = join(CACHE_DIR, 'dist');
export const CLI_JS = join(CLI_SNAPSHOT_DIR, 'cli.js');
/** The CLI as tsc compiles it (not bundled): a variant, to see what bundling costs. */
export const UNBUNDLED_CLI_JS = join(REPO_ROOT, 'out', 'server', 'src', 'cli', 'main.js');
/** Compiled helpers that run inside the measured child processes. */
export const CHILDREN_DIR = join(__dirname, 'children');
