import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { relative } from 'node:path';
import { collectSourceFiles, isWalkedFile } from '../../server/src/workspace/walk';
import { GitignoreStack } from '../../server/src/workspace/gitignore';
import { tempProject } from '../lsp/support/tempProject';

const code = 'export {};';

async function walked(root: string, under = root): Promise<string[]> {
  return (await collectSourceFiles(under)).map((f) => relative(root, f));
}

test('only JS/TS sources, in name order, without .git, node_modules below the folder or declaration files', async (t) => {
  const p = tempProject({
    'b.ts': code,
    'a.js': code,
    'c.mjs': code,
    'd.cjs': code,
    'e.jsx': code,
    'f.tsx': code,
    'g.mts': code,
    'h.cts': code,
    'types.d.ts': code,
    'readme.md': '# x',
    'src/z.js': code,
    'src/node_modules/dep/index.js': code,
    'node_modules/dep/index.js': code,
    '.git/hooks/pre-commit.js': code,
  });
  t.after(() => p.remove());
  assert.deepEqual(await walked(p.root), ['a.js', 'b.ts', 'c.mjs', 'd.cjs', 'e.jsx', 'f.tsx', 'g.mts', 'h.cts', 'src/z.js']);
});

test('.gitignore files at every level, with negation, folder patterns and anchored patterns', async (t) => {
  const p = tempProject({
    '.gitignore': 'dist/\n*.gen.js\n/top-only.js\n!keep.gen.js\n',
    'a.js': code,
    'x.gen.js': code,
    'keep.gen.js': code,
    'top-only.js': code,
    'dist/bundle.js': code,
    'src/top-only.js': code,
    'src/y.gen.js': code,
    'src/.gitignore': 'local.js\n!x.gen.js\n',
    'src/local.js': code,
    'src/x.gen.js': code,
    'other/local.js': code,
  });
  t.after(() => p.remove());
  assert.deepEqual(await walked(p.root), ['a.js', 'keep.gen.js', 'other/local.js', 'src/top-only.js', 'src/x.gen.js']);
});

test("a folder inside node_modules, asked for by name, is walked (but not the node_modules below it)", async (t) => {
  const p = tempProject({
    'node_modules/dep/index.js': code,
    'node_modules/dep/lib/util.js': code,
    'node_modules/dep/node_modules/inner/index.js': code,
  });
  t.after(() => p.remove());
  assert.deepEqual(await walked(p.root, p.path('node_modules/dep')), ['node_modules/dep/index.js', 'node_modules/dep/lib/util.js']);
});

test("the enclosing repository's .gitignore applies, unless it ignores the folder that was asked for", async (t) => {
  const p = tempProject({
    '.gitignore': '*.gen.js\nbuild/\n',
    'app/a.js': code,
    'app/b.gen.js': code,
    'build/out.js': code,
    'build/out.gen.js': code,
  });
  t.after(() => p.remove());
  mkdirSync(p.path('.git'));
  assert.deepEqual(await walked(p.root, p.path('app')), ['app/a.js']);
  assert.deepEqual(await walked(p.root, p.path('build')), ['build/out.gen.js', 'build/out.js']);
});

test('symbolic links to files are followed, links to folders are not (no cycles)', async (t) => {
  const p = tempProject({ 'real/a.js': code });
  t.after(() => p.remove());
  symlinkSync(p.path('real'), p.path('loop'));
  symlinkSync(p.path('real/a.js'), p.path('link.js'));
  assert.deepEqual(await walked(p.root), ['link.js', 'real/a.js']);
});

test('a walk stops when cancelled', async (t) => {
  const p = tempProject({ 'a.js': code, 'b.js': code, 'c/d.js': code });
  t.after(() => p.remove());
  let seen = 0;
  const files = await collectSourceFiles(p.root, { isCancelled: () => seen++ > 2 });
  assert.ok(files.length < 3, String(files.length));
});

test('isWalkedFile agrees with the walk', async (t) => {
  const p = tempProject({
    '.gitignore': 'ignored/\n',
    'a.js': code,
    'ignored/b.js': code,
    'node_modules/c.js': code,
    'src/.gitignore': 'gen.js\n',
    'src/gen.js': code,
    'src/ok.js': code,
    'notes.txt': 'x',
  });
  t.after(() => p.remove());
  const all = ['a.js', 'ignored/b.js', 'node_modules/c.js', 'src/gen.js', 'src/ok.js', 'notes.txt'];
  const expected = await walked(p.root);
  assert.deepEqual(all.filter((f) => isWalkedFile(p.root, p.path(f))), expected);
  assert.equal(isWalkedFile(p.path('src'), p.path('a.js')), false);
});

test('GitignoreStack: a deeper rule wins over a shallower one', () => {
  const stack = GitignoreStack.empty().withRules('/r', '*.log.js\n').withRules('/r/keep', '!*.log.js\n');
  assert.equal(stack.ignores('/r/a.log.js', false), true);
  assert.equal(stack.ignores('/r/keep/a.log.js', false), false);
  assert.equal(stack.ignores('/elsewhere/a.log.js', false), false);
});

test('a script without an extension that runs Node, and the bin entries of a package.json, are sources', async (t) => {
  const p = tempProject({
    'package.json': JSON.stringify({ name: 'tool', bin: { tool: 'lib/tool', other: './cli.js' } }),
    'bin/serve': '#!/usr/bin/env node\nrequire("../lib/x");\n',
    'bin/build': '#!/bin/sh\necho build\n',
    'lib/tool': 'module.exports = 1;\n',
    'lib/x.js': code,
    'cli.js': code,
    'LICENSE': 'MIT\n',
    'Makefile': 'all:\n\ttrue\n',
    'nested/package.json': JSON.stringify({ bin: 'run' }),
    'nested/run': 'console.log(1);\n',
  });
  t.after(() => p.remove());
  // A folder's files come before its subfolders.
  const expected = ['cli.js', 'bin/serve', 'lib/tool', 'lib/x.js', 'nested/run'];
  assert.deepEqual(await walked(p.root), expected);
  const all = ['bin/serve', 'bin/build', 'lib/tool', 'lib/x.js', 'cli.js', 'LICENSE', 'Makefile', 'nested/run', 'package.json'];
  assert.deepEqual(all.filter((f) => isWalkedFile(p.root, p.path(f))).sort(), [...expected].sort());
});
