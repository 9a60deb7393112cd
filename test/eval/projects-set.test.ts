// The second set's data and plumbing (projects-set.ts, materialise.ts, run-projects.ts): the committed references
// are valid and meet the set's brief, a project whose code is not on this machine is reported, not a crash, and a
// project materialised from a real git repository is scored from a real `zerocopy check --format json` run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { materialise } from './materialise';
import { PROJECT_SETS, projectSetDir } from './project-sets';
import { loadProjectSet, type EvalProject, type ProjectSite } from './projects-set';
import { runProject } from './run-projects';
import { totalsOf } from './score';

const repoRoot = resolve(__dirname, '..', '..', '..');
const dataDir = join(repoRoot, 'test', 'eval');
const cli = join(repoRoot, 'out', 'server', 'src', 'cli', 'main.js');

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=eval', '-c', 'user.email=eval@example.invalid', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

describe('second eval set: committed data', () => {
  const set = loadProjectSet(projectSetDir(dataDir, 2));

  it('has at least 40 projects, at least 20 of them applications, each pinned and labelled with a date', () => {
    assert.ok(set.projects.length >= 40, `${set.projects.length} projects`);
    assert.ok(set.projects.filter((p) => p.kind === 'application').length >= 20);
    for (const p of set.projects) {
      assert.ok(Date.parse(p.labelledAt) > Date.parse('2026-01-01'), `${p.name} has no labelling date`);
      assert.ok(p.scoredFiles > 0, `${p.name} pins no scored files`);
    }
  });

  it('labels only projects of the set, and every project has labels', () => {
    const names = new Set(set.projects.map((p) => p.name));
    for (const s of set.sites) assert.ok(names.has(s.project), s.project);
    for (const p of set.projects) assert.ok(set.sites.some((s) => s.project === p.name), `${p.name} has no label`);
  });

  it('gives every positive a recommendation and its shapes', () => {
    for (const s of set.sites.filter((s) => s.label !== 'none')) {
      assert.ok(s.recommendation, `${s.project} ${s.file}:${s.line}`);
      assert.ok(s.shapes && s.shapes.length > 0, `${s.project} ${s.file}:${s.line}`);
    }
  });
});

// Every set after the second was labelled before the tool first ran on it, to measure code the engine was not fixed
// against: it shares no project with any earlier set nor the benchmark corpus, and no name (all materialise under
// .cache/eval/projects).
for (const info of PROJECT_SETS.filter((s) => s.id > 2)) {
  describe(`eval set ${info.id}: committed data`, () => {
    const set = loadProjectSet(projectSetDir(dataDir, info.id));
    const earlierSets = PROJECT_SETS.filter((s) => s.id < info.id).map((s) => loadProjectSet(projectSetDir(dataDir, s.id)));
    const sourceKey = (p: EvalProject) => ('repo' in p.source ? p.source.repo.toLowerCase() : p.source.npm);

    it(`has at least ${info.minProjects} projects, at least ${info.minApplications} of them applications, each pinned, counted and labelled with a date`, () => {
      assert.ok(set.projects.length >= info.minProjects, `${set.projects.length} projects`);
      assert.ok(set.projects.filter((p) => p.kind === 'application').length >= info.minApplications);
      for (const p of set.projects) {
        assert.ok(Date.parse(p.labelledAt) > Date.parse('2026-01-01'), `${p.name} has no labelling date`);
        assert.ok(p.scoredFiles > 0, `${p.name} pins no scored files`);
        assert.ok(set.sites.some((s) => s.project === p.name), `${p.name} has no label`);
      }
    });

    it('shares no project with set 1, an earlier project set or the benchmark corpus (it measures code the engine was not fixed against)', () => {
      const packages = JSON.parse(readFileSync(join(dataDir, 'packages.json'), 'utf8')) as { name: string }[];
      const corpus = JSON.parse(readFileSync(join(repoRoot, 'test', 'bench', 'corpus.json'), 'utf8')) as { packages: { name: string }[] };
      const earlier = new Set([...earlierSets.flatMap((e) => e.projects.map(sourceKey)), ...packages.map((p) => p.name), ...corpus.packages.map((p) => p.name)]);
      const names = new Set(earlierSets.flatMap((e) => e.projects.map((p) => p.name)));
      for (const p of set.projects) {
        assert.ok(!earlier.has(sourceKey(p)), `${p.name} (${sourceKey(p)}) is already in an earlier set`);
        assert.ok(!names.has(p.name), `${p.name}: the name is taken by an earlier set (all materialise under .cache/eval/projects)`);
      }
    });

    it('gives every positive a recommendation and its shapes', () => {
      for (const s of set.sites.filter((s) => s.label !== 'none')) {
        assert.ok(s.recommendation, `${s.project} ${s.file}:${s.line}`);
        assert.ok(s.shapes && s.shapes.length > 0, `${s.project} ${s.file}:${s.line}`);
      }
    });
  });
}

describe('second eval set: materialising and running a project', () => {
  let work: string;
  let commit: string;
  const savedMirror = process.env.ZC_EVAL_MIRROR;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'zc-eval-set2-'));
    // A mirror laid out as the snapshot tool lays them out: <root>/<owner>+<name>/repo holding .git.
    const repo = join(work, 'mirror', 'someone+tiny-server', 'repo');
    mkdirSync(join(repo, 'test'), { recursive: true });
    git(repo, 'init', '--quiet');
    writeFileSync(
      join(repo, 'server.js'),
      [
        "const http = require('http');",
        "const fs = require('fs');",
        'http.createServer((req, res) => {',
        "  fs.createReadStream('./public/big.bin').pipe(res);",
        "  const config = JSON.parse(fs.readFileSync('./config.json', 'utf8'));",
        '  res.setHeader("x-name", config.name);',
        '}).listen(8080);',
        '',
      ].join('\n'),
    );
    // A test file is walked by check but excluded from scoring: its finding is shown, not counted.
    writeFileSync(join(repo, 'test', 'serve.test.js'), "const fs = require('fs');\nrequire('net').createServer((s) => fs.createReadStream('x').pipe(s));\n");
    git(repo, 'add', '.');
    git(repo, 'commit', '--quiet', '-m', 'tiny');
    commit = git(repo, 'rev-parse', 'HEAD');
    process.env.ZC_EVAL_MIRROR = join(work, 'mirror');
  });

  after(() => {
    if (savedMirror === undefined) delete process.env.ZC_EVAL_MIRROR;
    else process.env.ZC_EVAL_MIRROR = savedMirror;
    rmSync(work, { recursive: true, force: true });
  });

  const project = (name: string, repo: string, pinned: string): EvalProject => ({
    name,
    kind: 'application',
    framework: 'node:http',
    why: 'test',
    source: { repo, commit: pinned },
    folder: '.',
    exclude: [],
    scoredFiles: 1,
    labelledAt: '2026-12-07T00:00:00Z',
  });

  it('says why a project is not available instead of failing', async () => {
    const none = materialise(join(work, 'cache'), project('absent', 'nobody/nothing', commit), () => {});
    assert.equal(none.ok, false);
    assert.match(none.ok ? '' : none.reason, /no local mirror of nobody\/nothing/);
    const wrong = materialise(join(work, 'cache'), project('wrong', 'someone/tiny-server', 'f'.repeat(40)), () => {});
    assert.match(wrong.ok ? '' : wrong.reason, /does not hold commit/);
    const run = await runProject(join(work, 'cache'), cli, { defaultExclude: [] }, project('absent', 'nobody/nothing', commit), [], 60_000, () => {});
    assert.match(run.unavailable ?? '', /no local mirror/);
    assert.equal(run.files.length, 0);
  });

  it('checks the pinned commit out as its own repository and scores the CLI report against the labels', async () => {
    const p = project('tiny', 'someone/tiny-server', commit);
    const sites: ProjectSite[] = [
      { project: 'tiny', file: 'server.js', line: 4, column: 3, callee: 'fs.createReadStream', label: 'stream-to-socket', recommendation: 'sendfile', shapes: ['plain'], note: 'piped to res' },
      { project: 'tiny', file: 'server.js', line: 5, column: 29, callee: 'fs.readFileSync', label: 'none', note: 'parsed' },
    ];
    const run = await runProject(join(work, 'cache'), cli, { defaultExclude: ['**/test/**'] }, p, sites, 120_000, () => {});
    assert.equal(run.unavailable, undefined);
    assert.equal(run.failure, undefined);
    assert.ok(existsSync(join(work, 'cache', 'tiny', '.git')), 'the materialised folder is a repository of its own');
    assert.equal(run.walked, 2);
    assert.equal(run.scoredCount, 1);
    const t = totalsOf(run.files.map((f) => f.score));
    assert.deepEqual({ tp: t.tp, fp: t.fp, fn: t.fn, tn: t.tn, rec: t.recommendationRight }, { tp: 1, fp: 0, fn: 0, tn: 1, rec: 1 });
    assert.deepEqual(
      run.notScored.map((f) => f.file),
      ['test/serve.test.js'],
    );
    assert.deepEqual(run.staleLabels, []);
  });
});
