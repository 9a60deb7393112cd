/**
 * The test-runner extension: installed next to the product in code-server, it runs the
 * extension-host API suite once the workbench has started and writes the results as JSON
 * where the harness waits for them (written to a temporary name, then renamed, so the harness
 * never reads half a file).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import type { SuiteConfig } from '../suite/config';
import { runSuite } from '../suite/index';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const config = JSON.parse(readFileSync(join(context.extensionPath, 'suite-config.json'), 'utf8')) as SuiteConfig;
  if (!config.resultsPath) throw new Error('suite-config.json names no resultsPath');
  const lines: string[] = [];
  let report: unknown;
  try {
    report = { results: await runSuite(config, (line) => lines.push(line)), log: lines };
  } catch (error) {
    report = { crashed: error instanceof Error ? (error.stack ?? error.message) : String(error), log: lines };
  }
  writeFileSync(`${config.resultsPath}.partial`, JSON.stringify(report, null, 2));
  renameSync(`${config.resultsPath}.partial`, config.resultsPath);
}

export function deactivate(): void {}
