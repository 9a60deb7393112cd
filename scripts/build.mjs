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
  // `zerocopy` is the runtime package with a native addon: shipped as a package, never bundled.
  external: ['vscode', 'zerocopy'],
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js' }),
]);
chmodSync('dist/cli.js', 0o755);
