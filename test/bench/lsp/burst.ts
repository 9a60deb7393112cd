/**
 * Edits faster than they can be analysed, through the real language server, on the benchmark's
 * long file:
 * - a burst: N typing edits in one write to the server's stdin; how long until the newest
 *   version is published, and how many older versions were published before it;
 * - a steady rate: edits sent every 1000/rate ms without waiting for diagnostics; an edit's
 *   latency is the time until a version at least as new as it is published (the versions in
 *   between may be skipped: that is coalescing).
 * Both start after one edit answered: the first edit of a document analyses it part by part for
 * the first time (once per document, several times an ordinary edit; the edit rounds time it).
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, type PublishDiagnosticsParams, type TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';
import { LSP_DIR } from '../paths';
import { planEdits } from './bench';
import type { EditedFile } from './build-file';
import { startServer, type LspSession } from './client';

export interface BurstResult {
  edits: number;
  /** From the write to the publish of the newest version. */
  newestMs?: number;
  /** Publishes of older versions after the write. */
  stale?: number;
  error?: string;
}

export interface RateResult {
  rate: number;
  edits: number;
  /** Per edit, ms until a version at least as new was published. */
  latencies: number[];
  /** Versions published (of `edits`). */
  published: number;
  error?: string;
}

/** Opens the file and makes one edit, answered (version 2). Returns its URI and the edits to make next. */
async function openAndWarm(session: LspSession, file: EditedFile, edits: number): Promise<{ uri: string; changes: TextDocumentContentChangeEvent[] }> {
  const uri = pathToFileURL(file.path).href;
  const opened = session.nextDiagnostics((p) => p.uri === uri && p.version === 1, 120_000);
  await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'javascript', version: 1, text: file.text } });
  await Promise.race([opened, session.died]);
  const [first, ...changes] = planEdits(file.text, edits + 1).slice(0, edits + 1);
  const warmed = session.nextDiagnostics((p) => p.uri === uri && p.version === 2, 120_000);
  await session.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [first!] });
  await Promise.race([warmed, session.died]);
  return { uri, changes };
}

/** The version of the i-th edit after the warm-up. */
const versionOf = (i: number): number => i + 3;

/** JSON-RPC frames, back to back in one buffer. */
function frames(messages: unknown[]): Buffer {
  return Buffer.concat(
    messages.map((m) => {
      const body = Buffer.from(JSON.stringify(m), 'utf8');
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
    }),
  );
}

export async function runBurst(file: EditedFile, edits: number, timeoutMs: number): Promise<BurstResult> {
  const session = await startServer(join(LSP_DIR, 'edit'), join(LSP_DIR, 'server-burst.log'));
  const out: BurstResult = { edits };
  try {
    const { uri, changes } = await openAndWarm(session, file, edits);
    const newest = versionOf(changes.length - 1);
    let stale = 0;
    const accept = (p: PublishDiagnosticsParams): boolean => {
      if (p.uri !== uri) return false;
      if (p.version !== newest) stale++;
      return p.version === newest;
    };
    const done = session.nextDiagnostics(accept, timeoutMs);
    const buffer = frames(changes.map((change, i) => ({ jsonrpc: '2.0', method: DidChangeTextDocumentNotification.method, params: { textDocument: { uri, version: versionOf(i) }, contentChanges: [change] } })));
    const t0 = performance.now();
    session.child.stdin!.write(buffer);
    const d = await Promise.race([done, session.died]);
    out.newestMs = d.at - t0;
    out.stale = stale;
  } catch (err) {
    out.error = (err as Error).message;
  } finally {
    await session.close();
  }
  return out;
}

export async function runSteadyRate(file: EditedFile, rate: number, edits: number, timeoutMs: number): Promise<RateResult> {
  const session = await startServer(join(LSP_DIR, 'edit'), join(LSP_DIR, 'server-rate.log'));
  const out: RateResult = { rate, edits, latencies: [], published: 0 };
  try {
    const { uri, changes } = await openAndWarm(session, file, edits);
    const newest = versionOf(changes.length - 1);
    const sentAt: number[] = [];
    const published: Array<{ version: number; at: number }> = [];
    const done = session.nextDiagnostics((p) => {
      if (p.uri !== uri) return false;
      published.push({ version: p.version!, at: performance.now() });
      return p.version === newest;
    }, timeoutMs + (edits * 1000) / rate);
    const t0 = performance.now();
    for (let i = 0; i < changes.length; i++) {
      // On schedule, whatever the previous sends cost: the typist does not wait.
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      sentAt.push(performance.now());
      void session.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: versionOf(i) }, contentChanges: [changes[i]!] });
    }
    await Promise.race([done, session.died]);
    out.published = published.length;
    for (let i = 0; i < sentAt.length; i++) {
      const answer = published.find((p) => p.version >= versionOf(i));
      if (answer) out.latencies.push(answer.at - sentAt[i]!);
    }
  } catch (err) {
    out.error = (err as Error).message;
  } finally {
    await session.close();
  }
  return out;
}
