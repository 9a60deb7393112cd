/**
 * Packs the test-runner extension (test/vscode/runner + the API suite, bundled into one file)
 * with the suite's config inside it, as a small .vsix that code-server installs like any other.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createVSIX } from '@vscode/vsce';
import { build } from 'esbuild';
import type { SuiteConfig } from '../suite/config';

export const RUNNER_ID = 'zerocopy-tests.api-suite-runner';

export async function buildRunnerVsix(config: SuiteConfig, workDir: string): Promise<string> {
  const dir = join(workDir, 'api-suite-runner');
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: [join(__dirname, '..', 'runner', 'extension.js')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    outfile: join(dir, 'extension.js'),
    logLevel: 'warning',
  });
  const [publisher, name] = RUNNER_ID.split('.') as [string, string];
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name,
        publisher,
        displayName: 'Zero-Copy Advisor API suite runner (tests only)',
        version: '0.0.1',
        license: 'MIT',
        engines: { vscode: '^1.100.0' },
        main: './extension.js',
        // After the workbench is up, so the product (activated by the suite itself) has a window to work in.
        activationEvents: ['onStartupFinished'],
        // The suite checks behaviour that needs a trusted folder (settings, commands).
        capabilities: { untrustedWorkspaces: { supported: true } },
      },
      null,
      2,
    ),
  );
  writeFileSync(join(dir, 'README.md'), '# API suite runner\n\nRuns the Zero-Copy Advisor extension-host API suite; for tests only.\n');
  writeFileSync(join(dir, 'suite-config.json'), JSON.stringify(config, null, 2));
  const vsix = join(workDir, 'api-suite-runner.vsix');
  await createVSIX({ cwd: dir, packagePath: vsix, dependencies: false, allowMissingRepository: true, skipLicense: true });
  return vsix;
}
