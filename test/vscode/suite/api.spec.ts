/**
 * The extension through VS Code's API, as other extensions and VS Code itself see it. Runs inside
 * the extension host (code-server here, a downloaded VS Code with @vscode/test-electron elsewhere).
 * The order matters: the workspace is analysed before any file is opened.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExpectedFinding, SuiteConfig } from './config';
import { test } from './harness';
import { canSeeProcesses, serverPids, waitForServerOtherThan } from './serverProcess';
import {
  RUNNING,
  STOPPED,
  activateProduct,
  codeOf,
  ours,
  positionsOf,
  setSetting,
  waitForDiagnostics,
  waitForClientState,
  waitForTab,
  workspaceUri,
  type ProductApi,
} from './host';

const COMMAND_IDS = ['zerocopy.analyzeWorkspace', 'zerocopy.showRuleDocs', 'zerocopy.restartServer'];

export function registerApiTests(config: SuiteConfig): void {
  const expected = Object.entries(config.expected);
  const total = expected.reduce((n, [, list]) => n + list.length, 0);
  const expectedPositions = (list: readonly ExpectedFinding[], shift = 0) => list.map((f) => `${f.line + shift}:${f.character}`).sort();
  let api: ProductApi;

  test('the suite has findings to look for', () => {
    assert.ok(expected.length >= 1, 'the harness passes the findings the engine expects');
  });

  test('activates, and its language server runs', async () => {
    api = await activateProduct();
    assert.equal(api.client.state, RUNNING);
  });

  test('registers its three commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of COMMAND_IDS) assert.ok(commands.includes(id), `${id} is registered`);
  });

  test('"Analyse Workspace" finds every expected finding without opening a file', async () => {
    const result = (await vscode.commands.executeCommand('zerocopy.analyzeWorkspace')) as
      | { files: number; findings: number; skipped: number; cancelled: boolean }
      | undefined;
    assert.ok(result, 'the command returns the analysis result');
    assert.equal(result.cancelled, false);
    assert.equal(result.findings, total, `findings reported by the command: ${JSON.stringify(result)}`);
    assert.ok(result.files >= expected.length);
    for (const [file, findings] of expected) {
      const uri = workspaceUri(file);
      const shown = await waitForDiagnostics(uri, (d) => d.length === findings.length, `${findings.length} findings`);
      assert.deepEqual(positionsOf(shown), expectedPositions(findings), file);
    }
  }, 180_000);

  test('a diagnostic per finding: the rule as code with its docs page, the path to the sink, a warning by default', async () => {
    for (const [file, findings] of expected) {
      const uri = workspaceUri(file);
      await vscode.workspace.openTextDocument(uri);
      const shown = await waitForDiagnostics(uri, (d) => d.length === findings.length, `${findings.length} findings`);
      for (const finding of findings) {
        const d = shown.find((x) => x.range.start.line === finding.line && x.range.start.character === finding.character);
        assert.ok(d, `a diagnostic at ${file}:${finding.line}:${finding.character}`);
        assert.equal(codeOf(d), finding.rule);
        const target = typeof d.code === 'object' ? d.code.target : undefined;
        assert.ok(target?.path.endsWith(`/docs/rules/${finding.rule}.md`), `docs link: ${target?.toString()}`);
        assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
        assert.match(d.message, new RegExp(finding.recommendation, 'i'));
        assert.ok((d.relatedInformation?.length ?? 0) >= 1, 'the path to the sink is attached');
      }
    }
  });

  test('a hover on a finding gives the copy path in numbers', async () => {
    const [file, findings] = expected[0]!;
    const finding = findings[0]!;
    const hovers = (await vscode.commands.executeCommand(
      'vscode.executeHoverProvider',
      workspaceUri(file),
      new vscode.Position(finding.line, finding.character),
    )) as vscode.Hover[];
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(text, /JS heap held per request/);
    assert.match(text, /\| per chunk \| copies \| on the CPU \| syscalls \|/);
    assert.match(text, new RegExp(finding.rule));
  });

  test('findings follow an unsaved edit', async () => {
    const [file, findings] = expected[0]!;
    const uri = workspaceUri(file);
    const document = await vscode.workspace.openTextDocument(uri);
    const insert = new vscode.WorkspaceEdit();
    insert.insert(uri, new vscode.Position(0, 0), '\n\n');
    assert.ok(await vscode.workspace.applyEdit(insert));
    await waitForDiagnostics(uri, (d) => sameList(positionsOf(d), expectedPositions(findings, 2)), 'findings two lines lower');
    const remove = new vscode.WorkspaceEdit();
    remove.delete(uri, new vscode.Range(0, 0, 2, 0));
    assert.ok(await vscode.workspace.applyEdit(remove));
    await waitForDiagnostics(uri, (d) => sameList(positionsOf(d), expectedPositions(findings)), 'findings back in place');
    assert.equal(document.isDirty, true, 'the edit was never saved: diagnostics follow the buffer');
  });

  test('severity settings apply: error, then off, then the default again', async () => {
    const [file, findings] = expected[0]!;
    const uri = workspaceUri(file);
    const rule = findings[0]!.rule;
    const ofRule = (ds: vscode.Diagnostic[]) => ds.filter((d) => codeOf(d) === rule);
    const count = findings.filter((f) => f.rule === rule).length;
    try {
      await setSetting(`severity.${rule}`, 'error');
      await waitForDiagnostics(uri, (d) => ofRule(d).length === count && ofRule(d).every((x) => x.severity === vscode.DiagnosticSeverity.Error), `${rule} as errors`);
      await setSetting(`severity.${rule}`, 'off');
      await waitForDiagnostics(uri, (d) => ofRule(d).length === 0, `no ${rule} diagnostics`);
    } finally {
      await setSetting(`severity.${rule}`, undefined);
    }
    await waitForDiagnostics(uri, (d) => ofRule(d).length === count && ofRule(d).every((x) => x.severity === vscode.DiagnosticSeverity.Warning), `${rule} as warnings again`);
  });

  test('"zerocopy.enable": false clears the findings, true brings them back', async () => {
    const [file, findings] = expected[0]!;
    const uri = workspaceUri(file);
    try {
      await setSetting('enable', false);
      await waitForDiagnostics(uri, (d) => d.length === 0, 'no diagnostics');
    } finally {
      await setSetting('enable', undefined);
    }
    await waitForDiagnostics(uri, (d) => d.length === findings.length, `${findings.length} findings again`);
  });

  test('"Show Rule Docs" opens the rule\'s page from the extension', async () => {
    const shown = await vscode.commands.executeCommand('zerocopy.showRuleDocs', 'file-to-file');
    assert.equal(shown, 'file-to-file');
    await waitForTab('Preview file-to-file.md');
  });

  test('"Restart Server" replaces the server, which publishes the open files\' findings again', async () => {
    const [file, findings] = expected[0]!;
    const uri = workspaceUri(file);
    let restarted = false;
    const watching = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()) && ours(uri).length === 0) restarted = true;
    });
    try {
      await vscode.commands.executeCommand('zerocopy.restartServer');
      assert.equal(api.client.state, RUNNING);
      await waitForDiagnostics(uri, (d) => d.length === findings.length, `${findings.length} findings after the restart`);
    } finally {
      watching.dispose();
    }
    // The old server's diagnostics were withdrawn when it stopped; these came from the new one.
    assert.ok(restarted, 'the findings were cleared when the old server stopped and published again by the new one');
  });

  test('a server that keeps dying is restarted 4 times, then left stopped; "Restart Server" brings it back', async () => {
    if (!canSeeProcesses()) return; // needs /proc to find and kill the server process
    const [file, findings] = expected[0]!;
    let pid = await waitForServerOtherThan(undefined);
    for (let crash = 1; crash <= 5; crash++) {
      process.kill(pid, 'SIGKILL');
      if (crash < 5) pid = await waitForServerOtherThan(pid);
    }
    await waitForClientState(api, STOPPED);
    assert.deepEqual(serverPids(), [], 'no server runs after a crash loop');
    assert.equal(ours(workspaceUri(file)).length, 0, 'a stopped server leaves no findings behind');
    await vscode.commands.executeCommand('zerocopy.restartServer');
    assert.equal(api.client.state, RUNNING);
    await waitForDiagnostics(workspaceUri(file), (d) => d.length === findings.length, `${findings.length} findings from the restarted server`);
  }, 120_000);
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
