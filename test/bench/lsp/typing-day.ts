/**
 * A day of typing in one document through the real language server: a 2,000-line file, 10,000
 * one-character edits, a few at a line and then at another far away (typing-edits.ts,
 * `hoppingEdits`), every edit waiting for its diagnostics, and the server's live heap after a
 * full GC every 2,000 edits (children/heap-probe.ts). What an edit leaves behind must not pile up.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { LSP_DIR } from '../paths';
import type { EditedFile } from './build-file';
import { startServer } from './client';
import { HEAP_PROBE_FLAGS, readLiveHeap, type HeapReading } from './heap';
import { hoppingEdits } from './typing-edits';

export interface TypingDay {
  lines: number;
  /** Edits sent and answered. */
  edits: number;
  /** The live heap after a full GC, after this many edits (0: after the first diagnostics). */
  readings: Array<HeapReading & { edits: number }>;
  missing: number;
  error?: string;
}

export async function runTypingDay(file: EditedFile, o: { edits: number; every: number; editTimeoutMs: number; log: (line: string) => void }): Promise<TypingDay> {
  const session = await startServer(join(LSP_DIR, 'edit'), join(LSP_DIR, 'server-typing-day.log'), HEAP_PROBE_FLAGS);
  const uri = pathToFileURL(file.path).href;
  const out: TypingDay = { lines: file.lines, edits: 0, readings: [], missing: 0 };
  const forUri = (p: PublishDiagnosticsParams): boolean => p.uri === uri;
  try {
    const opened = session.nextDiagnostics((p) => forUri(p) && p.version === 1, 120_000);
    await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'javascript', version: 1, text: file.text } });
    await Promise.race([opened, session.died]);
    out.readings.push({ edits: 0, ...(await readLiveHeap(session)) });
    const edits = hoppingEdits(file.text, o.edits);
    for (let i = 0; i < edits.length; i++) {
      const version = i + 2;
      const next = session.nextDiagnostics((p) => forUri(p) && p.version === version, o.editTimeoutMs);
      await session.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [edits[i]!] });
      try {
        await Promise.race([next, session.died]);
      } catch (err) {
        if (/server died/.test((err as Error).message)) throw err;
        out.missing++;
      }
      out.edits = i + 1;
      if (out.edits % o.every === 0 || out.edits === edits.length) {
        const r = await readLiveHeap(session);
        out.readings.push({ edits: out.edits, ...r });
        o.log(`  typing day: ${out.edits} edits, live heap ${r.heapMb.toFixed(1)} MB, RSS ${r.rssMb.toFixed(0)} MB`);
      }
    }
  } catch (err) {
    out.error = (err as Error).message;
  } finally {
    await session.close();
  }
  return out;
}
