/**
 * Runs the extension-host API suite (suite/api.spec.ts) inside a real VS Code here: code-server
 * with the built .vsix and the test-runner extension installed, opened on a copy of the examples
 * in Chromium (the extension host starts when a window connects). The runner writes its results
 * as JSON; each of them becomes a test here. Needs `.ci/setup-editors.sh`.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../e2e/support/codeServer';
import { expectedFindings } from '../e2e/support/expectedFindings';
import { EXAMPLES, SessionHandle } from '../e2e/support/session';
import type { SuiteConfig } from './suite/config';
import type { TestResult } from './suite/harness';
import { buildRunnerVsix } from './support/runnerExtension';

interface RunnerReport {
  results?: TestResult[];
  crashed?: string;
  log: string[];
}

describe('the extension-host API suite, inside code-server', { timeout: 10 * 60_000 }, () => {
  const handle = new SessionHandle();
  const workDir = mkdtempSync(join(tmpdir(), 'zc-api-suite-'));
  let report: RunnerReport;

  before(async () => {
    const expected: SuiteConfig['expected'] = {};
    for (const [file, findings] of expectedFindings(EXAMPLES)) {
      expected[file] = findings.map((f) => ({ line: f.range.start.line, character: f.range.start.character, rule: f.rule, recommendation: f.recommendation }));
    }
    const resultsPath = join(workDir, 'results.json');
    const runner = await buildRunnerVsix({ expected, resultsPath }, workDir);
    const session = await handle.start({ trusted: true, extraExtensions: [runner], folderName: 'api-suite-examples' }, 'vscode');
    try {
      await waitFor(() => existsSync(resultsPath), 6 * 60_000, () => session.server.process.exitCode !== null, 'the API suite results');
    } catch (error) {
      await session.workbench.screenshot('api-suite-timeout').catch(() => undefined);
      throw new Error(`${(error as Error).message}\ncode-server output:\n${session.server.log().slice(-4000)}`);
    }
    report = JSON.parse(readFileSync(resultsPath, 'utf8')) as RunnerReport;
    writeFileSync(join(session.artifacts, 'api-suite.log'), report.log.join('\n') + '\n');
    await session.workbench.screenshot('api-suite-finished');
  });
  after(async () => {
    await handle.end();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('ran to the end inside the extension host', () => {
    assert.equal(report.crashed, undefined, report.crashed);
    assert.ok((report.results?.length ?? 0) >= 10, `results: ${JSON.stringify(report.results?.map((r) => r.name))}`);
  });

  it('passes every test of the suite', async (t) => {
    for (const result of report.results ?? []) {
      await t.test(result.name, (sub) => {
        sub.diagnostic(`${result.durationMs} ms in the extension host`);
        assert.ok(result.passed, result.error);
      });
    }
  });
});
