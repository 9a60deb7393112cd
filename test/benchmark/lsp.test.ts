/**
 * "Benchmark this transfer" for every LSP client: `workspace/executeCommand` `zerocopy.runBenchmark`
 * on the real server over stdio, with work-done progress under the client's token; the result is
 * the report `zerocopy bench --json` writes. `$/cancelRequest` stops it and leaves no process and
 * no file. `zerocopy.benchmarkMarkdown` renders a report.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchReport } from '../../server/src/protocol/benchReport';
import { CLIENT_CAPABILITIES, LspClient } from '../lsp/support/lspClient';
import { assertReportShape, processesMentioning } from './support/report';

const REPO = join(__dirname, '../../..');
const EXAMPLE = join(REPO, 'examples/media-server');
const STORE = join(EXAMPLE, 'src/lib/media-store.js');
const uri = (path: string) => pathToFileURL(path).href;
const runDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith('zerocopy-bench-'));

describe('zerocopy.runBenchmark over LSP', () => {
  let client: LspClient;
  let init: any;

  before(async () => {
    client = LspClient.start();
    client.handlers.set('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({ benchmark: { timeoutSeconds: 120 } })));
    init = await client.call('initialize', { processId: process.pid, rootUri: uri(EXAMPLE), workspaceFolders: [{ uri: uri(EXAMPLE), name: 'example' }], capabilities: CLIENT_CAPABILITIES });
    client.notify('initialized', {});
  });
  after(async () => {
    await client.stop();
  });

  test('the server offers the commands', () => {
    assert.deepEqual(init.capabilities.executeCommandProvider.commands, ['zerocopy.runBenchmark', 'zerocopy.benchmarkMarkdown']);
  });

  test('runs the benchmark under the client’s progress token and answers with the report', { timeout: 180_000 }, async () => {
    const since = client.mark();
    const report = (await client.call(
      'workspace/executeCommand',
      { command: 'zerocopy.runBenchmark', arguments: [{ uri: uri(STORE), line: 24, character: 9, sizes: ['64K'], concurrency: [1], timeBudgetSeconds: 2 }], workDoneToken: 'bench-1' },
      170_000,
    )) as BenchReport;
    assertReportShape(report, [64 << 10], [1]);
    assert.equal(report.finding.rule, 'stream-to-socket');
    assert.equal(report.finding.line, 25);
    const progress = client.notifications.filter((n) => n.seq >= since && n.method === '$/progress' && n.params.token === 'bench-1').map((n) => n.params.value);
    assert.equal(progress[0].kind, 'begin');
    assert.equal(progress[0].cancellable, true);
    assert.ok(progress.some((p) => p.kind === 'report' && /checking the bytes/.test(p.message)), 'progress says what it is doing');
    assert.equal(progress.at(-1).kind, 'end');

    const markdown = (await client.call('workspace/executeCommand', { command: 'zerocopy.benchmarkMarkdown', arguments: [report] })) as string;
    assert.match(markdown, /^Benchmark of /);
    assert.match(markdown, /\| variant \| throughput \|/);
    assert.match(markdown, /\| as written \|/);
  });

  test('a transfer that cannot run answers an error with the reason', { timeout: 60_000 }, async () => {
    const { response } = client.request('workspace/executeCommand', { command: 'zerocopy.runBenchmark', arguments: [{ uri: uri(join(EXAMPLE, 'src/admin-tls.js')), line: 15 }] });
    const answer = await response;
    assert.equal(answer.error?.code, -32803);
    assert.match(answer.error?.message ?? '', /the sink is a TLS socket/);
  });

  test('$/cancelRequest stops it: no process and no file of the run is left', { timeout: 120_000 }, async () => {
    const before = new Set(runDirs());
    const since = client.mark();
    const { id, response } = client.request('workspace/executeCommand', {
      command: 'zerocopy.runBenchmark',
      arguments: [{ uri: uri(STORE), line: 24, sizes: ['16M'], concurrency: [4], timeBudgetSeconds: 60 }],
      workDoneToken: 'bench-cancel',
    });
    const seen = new Set<string>();
    await client.until(() => {
      for (const d of runDirs()) if (!before.has(d)) seen.add(join(tmpdir(), d));
      return client.notifications.some((n) => n.seq >= since && n.method === '$/progress' && n.params.token === 'bench-cancel' && /round \d+/.test(n.params.value.message ?? ''));
    }, 90_000, 'the benchmark to be measuring');
    assert.ok(seen.size >= 1, 'a run folder was made');
    for (const dir of seen) assert.ok(processesMentioning(dir).length >= 2, 'its processes are running');
    const cancelledAt = Date.now();
    client.notify('$/cancelRequest', { id });
    const answer = await response;
    process.stdout.write(`# answered ${Date.now() - cancelledAt} ms after $/cancelRequest\n`);
    assert.equal(answer.error?.code, -32800, JSON.stringify(answer));
    for (const dir of seen) {
      assert.deepEqual(processesMentioning(dir), [], `no process of ${dir} is left`);
      assert.ok(!runDirs().includes(dir.slice(tmpdir().length + 1)), `${dir} is removed`);
    }
  });
});

describe('zerocopy.runBenchmark in a workspace that is not trusted', () => {
  test('the server refuses it, whatever the client checked, and runs nothing', { timeout: 60_000 }, async () => {
    const client = LspClient.start();
    try {
      await client.call('initialize', {
        processId: process.pid,
        rootUri: uri(EXAMPLE),
        workspaceFolders: [{ uri: uri(EXAMPLE), name: 'example' }],
        capabilities: CLIENT_CAPABILITIES,
        initializationOptions: { workspaceTrusted: false },
      });
      client.notify('initialized', {});
      const before = new Set(runDirs());
      const args = [{ uri: uri(STORE), line: 24, sizes: ['64K'], concurrency: [1], timeBudgetSeconds: 1 }];
      const answer = await client.request('workspace/executeCommand', { command: 'zerocopy.runBenchmark', arguments: args }).response;
      assert.equal(answer.error?.code, -32803, JSON.stringify(answer));
      assert.match(answer.error?.message ?? '', /trust the workspace/);
      assert.equal((answer.error as { data?: { kind?: string } } | undefined)?.data?.kind, 'untrusted');
      assert.deepEqual(runDirs().filter((d) => !before.has(d)), [], 'no run folder was made');
      // A command the server does not have is a bad request, not a failure of one.
      const unknown = await client.request('workspace/executeCommand', { command: 'zerocopy.noSuchCommand', arguments: [] }).response;
      assert.equal(unknown.error?.code, -32602);
    } finally {
      await client.stop();
    }
  });
});
