/**
 * Brings the code of one project of the second set onto disk under `.cache/eval/projects/<name>` (git-ignored),
 * from its pinned reference: a git commit of a public repository, read from a local mirror, or a published npm
 * package at an exact version, unpacked from the registry's tarball. Only references are committed; the code is
 * materialised here, never copied into the repository.
 *
 * A repository commit is checked out the way a clone would have it (`read-tree` + `checkout-index` into a scratch
 * index: no `export-ignore` filtering, unlike `git archive`), and the folder gets an empty `git init`, so that
 * `zerocopy check` sees the project's own `.gitignore` files and nothing of the repository it sits in.
 *
 * Mirrors: `$ZC_EVAL_MIRROR/<owner>+<name>/repo` (default root /work/.mirror: where this machine's snapshot tool
 * puts them), a bare repository or a folder holding `.git`. A project whose mirror is absent is reported as not
 * available, not an error: CI does not run the eval, and another machine may have only some mirrors.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvalProject } from './projects-set';

/** Read when used, so a caller (or a test) can point it elsewhere. */
export function mirrorRoot(): string {
  return process.env.ZC_EVAL_MIRROR ?? '/work/.mirror';
}

/** Written into each materialised folder; the folder is reused only when it matches the pinned reference. */
const STAMP = '.zerocopy-eval-source';

export type Materialised = { ok: true; dir: string } | { ok: false; reason: string };

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = spawnSync(cmd, args, { ...opts, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`);
  return r.stdout;
}

export function sourceId(p: EvalProject): string {
  return 'repo' in p.source ? `github:${p.source.repo}@${p.source.commit}` : `npm:${p.source.npm}@${p.source.version}`;
}

/** The git directory of a repository's local mirror, or undefined when there is none. */
export function mirrorGitDir(repo: string): string | undefined {
  const base = join(mirrorRoot(), repo.replace('/', '+'), 'repo');
  if (existsSync(join(base, '.git'))) return join(base, '.git');
  if (existsSync(join(base, 'HEAD')) && existsSync(join(base, 'objects'))) return base;
  return undefined;
}

/**
 * Checks the commit out into `dest`. Snapshots may lack their largest blobs (files of 4 MiB and more, LFS content):
 * those paths are left out, and returned, so the caller can say so (a source file that large is over check's size
 * limit anyway).
 */
function checkoutCommit(gitDir: string, commit: string, dest: string): string[] {
  const scratch = mkdtempSync(join(tmpdir(), 'zc-eval-index-'));
  try {
    const env = { ...process.env, GIT_INDEX_FILE: join(scratch, 'index') };
    const git = (args: string[], input?: string) => {
      const r = spawnSync('git', [`--git-dir=${gitDir}`, ...args], { env, input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      if (r.error) throw r.error;
      if (r.status !== 0) throw new Error(`git ${args.join(' ')} exited with ${r.status}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`);
      return r.stdout;
    };
    git(['read-tree', commit]);
    // "<mode> <object> <stage>\t<path>" per entry; gitlinks (submodules, mode 160000) have no blob here either.
    const entries = git(['ls-files', '--stage', '-z']).split('\0').filter(Boolean).map((e) => {
      const [meta, path] = e.split('\t') as [string, string];
      const [mode, object] = meta.split(' ') as [string, string];
      return { mode, object, path };
    });
    const blobs = entries.filter((e) => e.mode !== '160000');
    const checked = git(['cat-file', '--batch-check=%(objectname) %(objecttype)'], blobs.map((e) => e.object).join('\n') + '\n').split('\n');
    const missing = blobs.filter((_, i) => !/ blob$/.test(checked[i] ?? '')).map((e) => e.path);
    const gitlinks = entries.filter((e) => e.mode === '160000').map((e) => e.path);
    const drop = [...missing, ...gitlinks];
    if (drop.length) git(['update-index', '--force-remove', '-z', '--stdin'], drop.join('\0') + '\0');
    git([`--work-tree=${dest}`, 'checkout-index', '--all', '--quiet', '--force']);
    return missing;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function unpackNpm(name: string, version: string, dest: string): void {
  const scratch = mkdtempSync(join(tmpdir(), 'zc-eval-pack-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const out = run(npm, ['pack', `${name}@${version}`, '--pack-destination', scratch, '--json', '--loglevel=error'], { cwd: scratch });
    const [{ filename }] = JSON.parse(out) as { filename: string }[];
    mkdirSync(join(scratch, 'x'));
    run('tar', ['-xzf', join(scratch, filename!), '-C', join(scratch, 'x')]);
    // npm packs into package/; tarballs published by old or other tools have another single top folder (ftp: ftp/).
    const top = readdirSync(join(scratch, 'x'));
    const root = top.includes('package') ? 'package' : top.length === 1 ? top[0]! : undefined;
    if (!root) throw new Error(`the tarball of ${name}@${version} has no single top folder (${top.join(', ')})`);
    renameSync(join(scratch, 'x', root), dest);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Makes sure the project's code is under `root/<name>`; returns that folder, or why it cannot be had here. */
export function materialise(root: string, p: EvalProject, log: (line: string) => void): Materialised {
  const dir = join(root, p.name);
  const id = sourceId(p);
  const stampFile = join(dir, STAMP);
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === id) return { ok: true, dir };
  let gitDir: string | undefined;
  if ('repo' in p.source) {
    gitDir = mirrorGitDir(p.source.repo);
    if (!gitDir) return { ok: false, reason: `no local mirror of ${p.source.repo} under ${mirrorRoot()} (set ZC_EVAL_MIRROR, or fetch the repository)` };
    const has = spawnSync('git', [`--git-dir=${gitDir}`, 'cat-file', '-e', `${p.source.commit}^{commit}`]);
    if (has.status !== 0) return { ok: false, reason: `the mirror of ${p.source.repo} does not hold commit ${p.source.commit}` };
  }
  log(`materialising ${p.name} (${id}) …`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  try {
    if ('repo' in p.source) {
      mkdirSync(dir);
      const missing = checkoutCommit(gitDir!, p.source.commit, dir);
      const sources = missing.filter((f) => /\.[cm]?[jt]sx?$/.test(f));
      if (missing.length) log(`  ${missing.length} file(s) absent from the snapshot (large or LFS)${sources.length ? `, of them JS/TS: ${sources.join(', ')}` : ''}`);
    } else {
      unpackNpm(p.source.npm, p.source.version, dir);
    }
    // An empty repository of its own: check honours the project's .gitignore files, not the enclosing checkout's.
    run('git', ['init', '--quiet', dir]);
    writeFileSync(stampFile, id + '\n');
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return { ok: false, reason: `could not materialise ${id}: ${err instanceof Error ? err.message : String(err)}` };
  }
  return { ok: true, dir };
}
