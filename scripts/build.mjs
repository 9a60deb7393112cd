// Bundles the shipped entry points with esbuild. Type checking is `tsc -b`'s job (run first by `npm run build`).
// `--production` (used by `npm run package`) minifies and drops source maps for the .vsix.
import * as esbuild from 'esbuild';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const production = process.argv.includes('--production');

// `npm run package` stages the runtime in dist/node_modules/zerocopy (scripts/package-vsix.mjs), where
// dist/cli.js would go on resolving it: a development build drops that copy, so the bundles use the
// workspace's runtime (native/, rebuilt by `npm run build`) and never a stale addon from the last package.
if (!production) rmSync(fileURLToPath(new URL('../dist/node_modules', import.meta.url)), { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  charset: 'ascii',
  external: ['vscode'],
};

// `zerocopy` is the runtime package with a native addon: shipped as a package, never bundled.
// Its benchmark statistics (zerocopy/bench/lib/stats.mjs, shared with `zerocopy bench`) are.
const runtimeApart = {
  name: 'runtime-apart',
  setup(build) {
    build.onResolve({ filter: /^zerocopy$/ }, () => ({ path: 'zerocopy', external: true }));
  },
};

// dist/cli.js is the small front (arguments, usage, version); it loads dist/core.js, the
// engine and the server, only for the command that needs them.
const coreApart = {
  name: 'core-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/core\.js$/ }, () => ({ path: './core.js', external: true }));
  },
};

// TypeScript is CommonJS: esbuild wraps each `import ts from 'typescript'` in `__toESM`, which copies
// its 2,248 exports into a new object of getters per importing module — 52 of them cost 19 MB of
// heap, 42 MB of RSS and half a second at load. Every import of it goes through one ES module
// instead, which requires it once and hands the same object to all (as tsc's output does).
const typescriptOnce = {
  name: 'typescript-once',
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, (args) => (args.namespace === 'typescript-once' ? undefined : { path: 'typescript', namespace: 'typescript-once' }));
    build.onLoad({ filter: /.*/, namespace: 'typescript-once' }, () => ({ contents: "const ts = require('typescript');\nexport default ts;\n", resolveDir: fileURLToPath(new URL('..', import.meta.url)), loader: 'js' }));
  },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [coreApart, runtimeApart] }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli/core.ts'], outfile: 'dist/core.js', plugins: [runtimeApart, typescriptOnce] }),
  // The benchmark's child processes: the serving process and the load client.
  esbuild.build({ ...common, entryPoints: ['server/src/bench/children/serve.ts'], outfile: 'dist/bench-serve.js', plugins: [runtimeApart] }),
  esbuild.build({ ...common, entryPoints: ['server/src/bench/children/load.ts'], outfile: 'dist/bench-load.js', plugins: [runtimeApart] }),
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', plugins: [runtimeApart] }),
  // The benchmark results view: a browser script with Chart.js, and its stylesheet.
  esbuild.build({ ...common, platform: 'browser', format: 'iife', target: 'es2022', external: [], entryPoints: ['client/webview/benchmark-view.ts'], outfile: 'dist/benchmark-view.js' }),
  esbuild.build({ ...common, platform: 'browser', external: [], entryPoints: ['client/webview/benchmark-view.css'], outfile: 'dist/benchmark-view.css' }),
]);
chmodSync('dist/cli.js', 0o755);

// V8 keeps a script's source for lazy compilation, one byte per character only while every character
// is Latin-1: one `…` makes dist/core.js (11 MB, TypeScript included) a 22 MB string on the heap.
// esbuild escapes non-ASCII characters in code (`charset: 'ascii'`, its default) but keeps some
// comments as written, so what is left can only be in a comment: each UTF-16 unit becomes one `?`,
// which keeps the source maps' columns right.
for (const bundle of ['dist/cli.js', 'dist/core.js', 'dist/bench-serve.js', 'dist/bench-load.js', 'dist/client.js']) {
  const text = readFileSync(bundle, 'utf8');
  const ascii = text.replace(/[^\x00-\x7f]/g, '?');
  if (ascii !== text) writeFileSync(bundle, ascii);
}
