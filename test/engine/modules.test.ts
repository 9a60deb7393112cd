/**
 * The module model (server/src/engine/resolve.ts) and the project around it: what each config
 * makes a specifier lead to, that the project forgets what it resolved when a config changes (or
 * appears), that a workspace package joining the listing is found, that file names with Windows
 * separators work, and that resolution reads each folder's configs once however many files ask
 * (the bound a 10,000-file project needs). The rule fixtures (fixtures/shapes/modules.ts) show the
 * same model through findings.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFile, Project } from '../../server/src/engine/index';
import { importSpecifiers, ModuleModel } from '../../server/src/engine/resolve';

function model(files: Record<string, string>, listing?: string[]): ModuleModel {
  return new ModuleModel({ getText: (f) => files[f] }, () => listing);
}

describe('module model: stems a specifier may name', () => {
  it('tsconfig paths: an exact key wins over patterns, and the pattern with the longest prefix over shorter ones', () => {
    const m = model({
      '/p/tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@app/*': ['src/*'], '@app/db/*': ['db/*', 'legacy/db/*'], '@app/config': ['config/index.ts'] } } }),
    });
    assert.deepEqual(m.stemsFor('/p/src/a.ts', '@app/db/pool'), ['/p/db/pool', '/p/legacy/db/pool']);
    assert.deepEqual(m.stemsFor('/p/src/a.ts', '@app/lib/x'), ['/p/src/lib/x']);
    assert.deepEqual(m.stemsFor('/p/src/a.ts', '@app/config'), ['/p/config/index.ts']);
    assert.deepEqual(m.stemsFor('/p/src/a.ts', 'react'), []);
  });

  it('paths are relative to baseUrl when one is set, through an extends chain of two configs', () => {
    const m = model({
      '/p/packages/web/tsconfig.json': '{ "extends": "../../tsconfig.base.json", "compilerOptions": { "baseUrl": "./src" } }',
      '/p/tsconfig.base.json': '{ "compilerOptions": { "paths": { "~/*": ["*"] } } }',
    });
    assert.deepEqual(m.stemsFor('/p/packages/web/src/pages/a.ts', '~/lib/x'), ['/p/packages/web/src/lib/x', '/p/packages/web/src/~/lib/x']);
  });

  it('an extends cycle ends, and an extends naming a package config in node_modules is read', () => {
    const m = model({
      '/p/tsconfig.json': '{ "extends": "./b.json" }',
      '/p/b.json': '{ "extends": "./tsconfig.json", "compilerOptions": { "baseUrl": "." } }',
      '/q/tsconfig.json': '{ "extends": "@acme/tsconfig/base.json" }',
      '/node_modules/@acme/tsconfig/base.json': '{ "compilerOptions": { "paths": { "#/*": ["./*"] } } }',
    });
    assert.deepEqual(m.stemsFor('/p/a.ts', 'x'), ['/p/x']);
    assert.deepEqual(m.stemsFor('/q/src/a.ts', '#/y'), ['/node_modules/@acme/tsconfig/y']);
  });

  it('a workspace package by name: exports conditions in the order written, each with where its sources are', () => {
    const files = {
      '/p/package.json': '{ "private": true, "workspaces": ["packages/*"] }',
      '/p/packages/http/package.json': JSON.stringify({ name: '@acme/http', exports: { '.': { source: './src/index.ts', import: './lib/index.js' }, './utils/*': './lib/utils/*.js' } }),
    };
    const m = model(files, ['/p/packages/http/src/index.ts', '/p/apps/web/a.ts']);
    // `source` first (as written), then `import`'s build output and the sources it mirrors (src/, or the package's root).
    assert.deepEqual(m.stemsFor('/p/apps/web/a.ts', '@acme/http'), ['/p/packages/http/src/index.ts', '/p/packages/http/src/index', '/p/packages/http/lib/index.js', '/p/packages/http/index', '/p/packages/http/lib/index']);
    assert.ok(m.stemsFor('/p/apps/web/a.ts', '@acme/http/utils/fetch').includes('/p/packages/http/src/utils/fetch'));
    assert.deepEqual(m.stemsFor('/p/apps/web/a.ts', '@acme/http/internal'), []);
  });

  it('a workspace package is found without a listing, by the folder a pattern gives its name', () => {
    const m = model({
      '/p/pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n  - apps/* # apps\ncatalog:\n  x: 1\n",
      '/p/packages/store/package.json': '{ "name": "@acme/store", "main": "index.js" }',
    });
    assert.deepEqual(m.stemsFor('/p/apps/api/server.js', '@acme/store').slice(0, 1), ['/p/packages/store/index.js']);
  });

  it('package.json imports: a pattern, conditions, and a target that is a package name', () => {
    const m = model({
      '/p/package.json': JSON.stringify({ name: 'app', imports: { '#db/*': { node: './src/db/*.js' }, '#http': 'undici-shim' }, workspaces: ['shims/*'] }),
      '/p/shims/undici-shim/package.json': '{ "name": "undici-shim", "main": "main.js" }',
    });
    assert.deepEqual(m.stemsFor('/p/src/a.js', '#db/pool').slice(0, 1), ['/p/src/db/pool.js']);
    assert.deepEqual(m.stemsFor('/p/src/a.js', '#http').slice(0, 1), ['/p/shims/undici-shim/main.js']);
    assert.deepEqual(m.stemsFor('/p/src/a.js', '#nothing'), []);
  });

  it('file names with Windows separators', () => {
    const m = model({ 'C:\\p\\tsconfig.json': '{ "compilerOptions": { "baseUrl": "src" } }' });
    assert.deepEqual(m.stemsFor('C:\\p\\src\\a.ts', 'lib/x'), ['C:\\p\\src\\lib\\x']);
  });

  it('remembers every config path it looked for, present or not', () => {
    const m = model({ '/p/tsconfig.json': '{}' });
    m.stemsFor('/p/src/a.ts', 'x');
    assert.ok(m.readsConfig('/p/tsconfig.json'));
    assert.ok(m.readsConfig('/p/src/tsconfig.json'), 'absent, but its creation would matter');
    assert.ok(m.readsConfig('/p/src/package.json'));
    assert.ok(!m.readsConfig('/p/src/a.ts'));
  });
});

describe('module model: the specifiers a text imports', () => {
  it('imports, re-exports, side-effect imports, require and import(), but no type-only import', () => {
    const text = [
      "import type { A } from 'types-only';",
      "import { type B, c } from 'b';",
      'import {',
      '  d,',
      "} from './d';",
      "export * from './e';",
      "export type { F } from './f';",
      "import './side';",
      "const g = require('g'); const h = import('./h');",
      "run();import{i}from'i'",
    ].join('\n');
    assert.deepEqual(importSpecifiers(text).sort(), ['./d', './e', './h', './side', 'b', 'g', 'i']);
  });
});

describe('module model in the project', () => {
  const SERVER = "const http = require('http');\nconst { open } = require('@lib/storage');\nhttp.createServer((req, res) => open('./x').pipe(res)).listen(1);\n";
  const STORAGE = "const fs = require('fs');\nexports.open = (p) => fs.createReadStream(p);\n";
  const ALIAS = '{ "compilerOptions": { "paths": { "@lib/*": ["./lib/*"] } } }';

  it('forgets where imports led when a config changes, and when a config appears where there was none', () => {
    const files = new Map<string, string>([['/p/lib/storage.js', STORAGE]]);
    const project = new Project({ getText: (f) => files.get(f), list: () => ['/p/server.js', '/p/lib/storage.js'] });
    const count = () => analyzeFile('/p/server.js', SERVER, { project }).findings.length;
    assert.equal(count(), 0);
    assert.ok(project.isModuleConfig('/p/tsconfig.json'));
    files.set('/p/tsconfig.json', ALIAS);
    project.invalidate('/p/tsconfig.json');
    assert.equal(count(), 1);
    files.set('/p/tsconfig.json', '{}');
    assert.equal(count(), 1, 'not told: what was resolved stands');
    project.invalidate('/p/tsconfig.json');
    assert.equal(count(), 0);
  });

  it('finds a workspace package once a file of its folder joins the listing', () => {
    const files = new Map<string, string>([
      ['/p/package.json', '{ "workspaces": ["packages/*"] }'],
      ['/p/packages/file-service/package.json', '{ "name": "@acme/files", "main": "src/main.js" }'],
      ['/p/packages/file-service/src/main.js', STORAGE],
    ]);
    let listing = ['/p/apps/server.js'];
    const project = new Project({ getText: (f) => files.get(f), list: () => listing });
    const server = "const http = require('http');\nconst { open } = require('@acme/files');\nhttp.createServer((req, res) => open('./x').pipe(res)).listen(1);\n";
    // Its folder is not named after it, so only the listing can tell where it is.
    assert.equal(analyzeFile('/p/apps/server.js', server, { project }).findings.length, 0);
    listing = ['/p/apps/server.js', '/p/packages/file-service/src/main.js'];
    assert.equal(analyzeFile('/p/apps/server.js', server + '\n', { project }).findings.length, 1);
  });

  it('prefers a listed source over a build output left on disk', () => {
    const files = new Map<string, string>([
      ['/p/package.json', '{ "workspaces": ["packages/*"] }'],
      ['/p/packages/files/package.json', '{ "name": "@acme/files", "exports": "./dist/main.js" }'],
      ['/p/packages/files/dist/main.js', 'exports.open = () => null;\n'],
      ['/p/packages/files/src/main.ts', STORAGE],
    ]);
    const project = new Project({ getText: (f) => files.get(f), list: () => ['/p/apps/server.js', '/p/packages/files/src/main.ts'] });
    const server = "const http = require('http');\nconst { open } = require('@acme/files');\nhttp.createServer((req, res) => open('./x').pipe(res)).listen(1);\n";
    const [f] = analyzeFile('/p/apps/server.js', server, { project }).findings;
    assert.equal(f?.fileName, '/p/packages/files/src/main.ts');
  });

  it('reads each folder\'s configs once, however many files import through the model', () => {
    const files = new Map<string, string>([['/p/tsconfig.json', '{ "compilerOptions": { "baseUrl": "src" } }']]);
    const reads = new Map<string, number>();
    const listing: string[] = [];
    const FOLDERS = 40;
    const PER_FOLDER = 25;
    for (let d = 0; d < FOLDERS; d++) for (let i = 0; i < PER_FOLDER; i++) listing.push(`/p/src/area${d}/m${i}.ts`);
    const project = new Project({
      getText: (f) => {
        if (/\.json$|\.yaml$/.test(f)) reads.set(f, (reads.get(f) ?? 0) + 1);
        return files.get(f);
      },
      list: () => listing,
    });
    const text = "import { a } from 'lib/a';\nimport { b } from 'lib/b';\nimport react from 'react';\nimport { c } from '@scope/pkg/c';\nexport const x = [a, b, react, c];\n";
    for (const f of listing) analyzeFile(f, text, { project });
    assert.ok([...reads.values()].every((n) => n === 1), 'no config read twice');
    // Per folder: tsconfig.json, jsconfig.json, package.json, pnpm-workspace.yaml, lerna.json at most.
    assert.ok(reads.size <= (FOLDERS + 3) * 5, `${reads.size} config paths read`);
  });
});
