/**
 * Runs the extension-host API suite with @vscode/test-electron, on machines that can download
 * VS Code (this project's CI machines cannot; there the same suite runs inside code-server, see
 * extensionHost.test.ts). Build first (`npm run build`), then:
 *
 *   node out/test/vscode/runTest.js            # or: npm run test:vscode-electron
 *
 * It opens a scratch copy of examples/ in VS Code 1.100.3 with this repository as the extension
 * under development (dist/client.js, dist/cli.js) and all other extensions disabled.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { expectedFindings } from '../e2e/support/expectedFindings';
import { EXAMPLES } from '../e2e/support/session';
import { REPO_ROOT } from '../e2e/support/paths';
import { CONFIG_VARIABLE, type SuiteConfig } from './suite/config';

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'zc-electron-'));
  try {
    const workspace = join(scratch, 'examples');
    cpSync(EXAMPLES, workspace, { recursive: true });
    const config: SuiteConfig = { expected: {} };
    for (const [file, findings] of expectedFindings(workspace)) {
      config.expected[file] = findings.map((f) => ({ line: f.range.start.line, character: f.range.start.character, rule: f.rule, recommendation: f.recommendation }));
    }
    const configPath = join(scratch, 'suite-config.json');
    writeFileSync(configPath, JSON.stringify(config));
    await runTests({
      version: process.env.ZC_VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: join(__dirname, 'suite', 'index.js'),
      extensionTestsEnv: { [CONFIG_VARIABLE]: configPath },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(scratch, 'user-data')],
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
