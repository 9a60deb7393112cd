/**
 * The extension-host API suite's entry points:
 * - `run()`, which @vscode/test-electron calls inside a downloaded VS Code (see ../runTest.ts),
 *   reading its config from ZC_API_SUITE_CONFIG and failing by throwing;
 * - `runSuite(config)`, which the test-runner extension calls inside code-server and whose
 *   results it writes for the harness (see ../runner/extension.ts).
 */
import { readFileSync } from 'node:fs';
import { registerApiTests } from './api.spec';
import { CONFIG_VARIABLE, type SuiteConfig } from './config';
import { runRegistered, type TestResult } from './harness';

export async function runSuite(config: SuiteConfig, log: (line: string) => void = console.log): Promise<TestResult[]> {
  registerApiTests(config);
  return runRegistered(log);
}

export async function run(): Promise<void> {
  const path = process.env[CONFIG_VARIABLE];
  if (!path) throw new Error(`${CONFIG_VARIABLE} must name the suite's config file`);
  const results = await runSuite(JSON.parse(readFileSync(path, 'utf8')) as SuiteConfig);
  const failed = results.filter((r) => !r.passed);
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length > 0) throw new Error(`${failed.length} extension-host API tests failed: ${failed.map((f) => f.name).join('; ')}`);
}
