/**
 * A quick probe of the real server, not a test and not the project's benchmark (that is
 * `npm run bench:*`): edit latency (`didChange` -> `publishDiagnostics` of that version) on a
 * generated file, and RSS after analysing a generated workspace.
 *
 *   node out/test/lsp/measureServer.js latency [lines=5000] [edits=100]
 *   node out/test/lsp/measureServer.js workspace [files=2000]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CLIENT_CAPABILITIES, LspClient } from './support/lspClient';
import { tempProject, type TempProject } from './support/tempProject';

function handlerSource(i: number): string[] {
  return [
    `function handler${i}(req, res) {`,
    `  const p = path.join('/srv', req.url);`,
    i % 10 === 0 ? '  fs.readFile(p, (err, data) => res.end(data));' : `  res.end('ok ${i}');`,
    '}',
    `exports.handler${i} = handler${i};`,
    '',
  ];
}

function moduleSource(lines: number): string {
  const out = ["const fs = require('fs');", "const path = require('path');"];
  for (let i = 0; out.length < lines; i++) out.push(...handlerSource(i));
  return out.join('\n');
}

async function start(ws: TempProject): Promise<LspClient> {
  const client = LspClient.start();
  client.handlers.set('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  const root = pathToFileURL(ws.root).href;
  await client.call('initialize', { processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: 'ws' }], capabilities: CLIENT_CAPABILITIES });
  client.notify('initialized', {});
  return client;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function latency(lines: number, edits: number): Promise<void> {
  const ws = tempProject();
  const text = moduleSource(lines);
  const file = ws.write('big.js', text);
  const uri = pathToFileURL(file).href;
  const client = await start(ws);
  try {
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version: 1, text } });
    await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === 1, 0, 120_000);
    const times: number[] = [];
    const middle = Math.floor(lines / 2);
    for (let version = 2; version < edits + 2; version++) {
      const since = client.mark();
      const started = process.hrtime.bigint();
      // Type a character, then delete it: the text stays valid and the same size.
      const at = { line: middle, character: 0 };
      const change = version % 2 === 0 ? { range: { start: at, end: at }, text: 'x' } : { range: { start: at, end: { line: middle, character: 1 } }, text: '' };
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === version, since, 120_000);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((a, b) => a - b);
    console.log(`${lines} lines, ${edits} edits: median ${quantile(times, 0.5).toFixed(1)} ms, p95 ${quantile(times, 0.95).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`);
  } finally {
    await client.stop();
    ws.remove();
  }
}

async function workspace(files: number): Promise<void> {
  const ws = tempProject();
  for (let i = 0; i < files; i++) ws.write(`src/d${i % 40}/m${i}.js`, moduleSource(100));
  const client = await start(ws);
  const memory = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${client.process.pid}/status`, 'utf8'))![1]) / 1024;
  try {
    const started = Date.now();
    const result = await client.call('zerocopy/analyzeWorkspace', {}, 600_000);
    console.log(`${files} files: ${JSON.stringify(result)} in ${Date.now() - started} ms; RSS ${memory('VmRSS').toFixed(0)} MB (peak ${memory('VmHWM').toFixed(0)} MB)`);
  } finally {
    await client.stop();
    ws.remove();
  }
}

const [mode = 'latency', a, b] = process.argv.slice(2);
const run = mode === 'workspace' ? workspace(Number(a ?? 2000)) : latency(Number(a ?? 5000), Number(b ?? 100));
run.catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
