// Bundles the shipped entry points with esbuild. Type checking is `tsc -b`'s job (run first by `npm run build`).
// `--production` (used by `npm run package`) minifies and drops source maps for the .vsix.
import * as esbuild from 'esbuild';
import { chmodSync } from 'node:fs';

const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
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

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [coreApart, runtimeApart] }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli/core.ts'], outfile: 'dist/core.js', plugins: [runtimeApart] }),
  // The benchmark's child processes: the serving process and the load client.
  esbuild.build({ ...common, entryPoints: ['server/src/bench/children/serve.ts'], outfile: 'dist/bench-serve.js', plugins: [runtimeApart] }),
  esbuild.build({ ...common, entryPoints: ['server/src/bench/children/load.ts'], outfile: 'dist/bench-load.js', plugins: [runtimeApart] }),
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', plugins: [runtimeApart] }),
  // The benchmark results view: a browser script with Chart.js, and its stylesheet.
  esbuild.build({ ...common, platform: 'browser', format: 'iife', target: 'es2022', external: [], entryPoints: ['client/webview/benchmark-view.ts'], outfile: 'dist/benchmark-view.js' }),
  esbuild.build({ ...common, platform: 'browser', external: [], entryPoints: ['client/webview/benchmark-view.css'], outfile: 'dist/benchmark-view.css' }),
]);
chmodSync('dist/cli.js', 0o755);
