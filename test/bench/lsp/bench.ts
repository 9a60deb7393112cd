/**
 * `bench:engine`'s second half, through the real language server:
 * - edit latency: open a 5,000-line file with findings, apply typing-like incremental edits one
 *   at a time, and time each from sending didChange (version v) to the publishDiagnostics for
 *   version v (by order if the server omits `version`, and the report says so);
 * - memory: analyse a 2,000-file workspace with `zerocopy/analyzeWorkspace`, then read the
 *   server's VmRSS and VmHWM from /proc.
 * Each round gets a fresh server process.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { AnalyzeWorkspaceRequest, type AnalyzeWorkspaceParams, type AnalyzeWorkspaceResult } from '../../../server/src/protocol';
import { summarizeProfileFile } from '../cpu-profile';
import { LSP_DIR, PROFILES_DIR } from '../paths';
import { fmt } from '../stats';
import type { EditedFile } from './build-file';
import { startServer } from './client';
import { runCodeActionRound, type CodeActionRound } from './codeActions';
import { readProcMemory, type ProcMemory } from './proc-status';
import { typingEdits } from './typing-edits';
import type { Workspace } from './workspace';

export interface EditRound {
  round: number;
  /** Edits sent (each a didChange of one character). */
  edits: number;
  openMs?: number;
  diagnosticsOnOpen?: number;
  /** Per-edit latency in ms; an edit with no diagnostics within the timeout is left out and counted. */
  latencies: number[];
  missing: number;
  matchedBy: 'version' | 'order';
  memoryAfter?: ProcMemory;
  /** The pid the server ran as. */
  serverPid?: number;
  error?: string;
}

export interface WorkspaceRound {
  round: number;
  idle?: ProcMemory;
  analyseMs?: number;
  result?: AnalyzeWorkspaceResult;
  after?: ProcMemory;
  /** Highest RSS seen while sampling every 100 ms (the only figure left if the server dies). */
  maxSampledRssMb?: number;
  error?: string;
}

export interface LspBenchOptions {
  rounds: number;
  /** One more, untimed edit round with the server under --cpu-prof. */
  profile: boolean;
  minEdits: number;
  editTimeoutMs: number;
  log: (line: string) => void;
  /** Which measurements to run (default all). */
  steps?: readonly LspStep[];
}

export const LSP_STEPS = ['edits', 'workspace', 'code-actions'] as const;
export type LspStep = (typeof LSP_STEPS)[number];

export function planEdits(text: string, minEdits: number): ReturnType<typeof typingEdits> {
  for (let sites = 3; ; sites++) {
    const edits = typingEdits(text, sites);
    if (edits.length >= minEdits) return edits;
  }
}

export async function runEditRound(file: EditedFile, round: number, o: LspBenchOptions, nodeFlags: string[] = []): Promise<EditRound> {
  const dir = join(LSP_DIR, 'edit');
  const session = await startServer(dir, join(LSP_DIR, round < 0 ? 'server-edit-profiled.log' : `server-edit-${round + 1}.log`), nodeFlags);
  const uri = pathToFileURL(file.path).href;
  const out: EditRound = { round, edits: 0, latencies: [], missing: 0, matchedBy: 'version' };
  try {
    const forUri = (p: PublishDiagnosticsParams): boolean => p.uri === uri;
    let t0 = performance.now();
    const opened = session.nextDiagnostics(forUri, 120_000);
    await session.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'javascript', version: 1, text: file.text },
    });
    const first = await Promise.race([opened, session.died]);
    out.openMs = first.at - t0;
    out.diagnosticsOnOpen = first.params.diagnostics.length;
    if (first.params.version === undefined) out.matchedBy = 'order';

    const edits = planEdits(file.text, o.minEdits);
    out.edits = edits.length;
    let version = 1;
    for (const change of edits) {
      version++;
      const v = version;
      const accept = out.matchedBy === 'version' ? (p: PublishDiagnosticsParams) => forUri(p) && p.version === v : forUri;
      const next = session.nextDiagnostics(accept, o.editTimeoutMs);
      t0 = performance.now();
      await session.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: v },
        contentChanges: [change],
      });
      try {
        const d = await next;
        out.latencies.push(d.at - t0);
      } catch (err) {
        if (/server died/.test((err as Error).message)) throw err;
        out.missing++;
      }
    }
    out.memoryAfter = readProcMemory(session.pid);
    out.serverPid = session.pid;
  } catch (err) {
    out.error = (err as Error).message;
  } finally {
    await session.close();
  }
  return out;
}

/** An untimed edit round with the server under `--cpu-prof`: where an edit's time goes. */
export async function profileEditRound(file: EditedFile, o: LspBenchOptions): Promise<string[]> {
  const dir = join(PROFILES_DIR, 'lsp-edit');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // No fixed profile name: Node names the file with the server's pid.
  const r = await runEditRound(file, -1, o, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const written = readdirSync(dir).find((f) => f.endsWith('.cpuprofile') && f.includes(`.${r.serverPid}.`));
  if (r.error || !written) return [`profile: the profiled edit round failed: ${r.error ?? 'no profile written'}`];
  const profile = join(dir, written);
  const s = summarizeProfileFile(profile, `the server during one edit round (open + ${r.edits} edits)`);
  const analyses = r.edits + 1;
  return [
    ...s.lines.slice(0, 1),
    `- per analysis (open + each edit, ${analyses} in all): analyzeFile ${fmt(s.analyzeMs / analyses, 1)} ms, of which parsing ${fmt(s.parseMs / analyses, 1)} ms; everything else on CPU ${fmt((s.busyMs - s.analyzeMs) / analyses, 1)} ms`,
    ...s.lines.slice(1),
  ];
}

const WORKSPACE_PROGRESS_TOKEN = 'bench-analyze-workspace';

export async function runWorkspaceRound(ws: Workspace, round: number, timeoutMs: number, nodeFlags: string[] = []): Promise<WorkspaceRound> {
  const log = join(LSP_DIR, round < 0 ? 'server-workspace-unlimited.log' : `server-workspace-${round + 1}.log`);
  const session = await startServer(ws.dir, log, nodeFlags);
  const out: WorkspaceRound = { round };
  // VmHWM is gone with the process if it dies: sample RSS meanwhile to know how far it got.
  const sampler = setInterval(() => {
    const m = readProcMemory(session.pid);
    if (m && m.rssMb > (out.maxSampledRssMb ?? 0)) out.maxSampledRssMb = m.rssMb;
  }, 100);
  try {
    out.idle = readProcMemory(session.pid);
    const t0 = performance.now();
    const params: AnalyzeWorkspaceParams = { workDoneToken: WORKSPACE_PROGRESS_TOKEN };
    let timer: NodeJS.Timeout | undefined;
    const tooLong = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`analyzeWorkspace took over ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      out.result = await Promise.race([session.connection.sendRequest<AnalyzeWorkspaceResult>(AnalyzeWorkspaceRequest, params), tooLong, session.died]);
    } finally {
      clearTimeout(timer);
    }
    out.analyseMs = performance.now() - t0;
    out.after = readProcMemory(session.pid);
  } catch (err) {
    const p = session.progress.get(WORKSPACE_PROGRESS_TOKEN);
    out.error = (err as Error).message + (p ? ` (last progress: ${p.percentage ?? '?'}%, ${p.message ?? ''})` : '');
  } finally {
    clearInterval(sampler);
    await session.close();
  }
  return out;
}

export async function runLspRounds(
  file: EditedFile,
  ws: Workspace,
  o: LspBenchOptions,
): Promise<{ edits: EditRound[]; workspace: WorkspaceRound[]; codeActions: CodeActionRound[]; unlimited?: WorkspaceRound; profile: string[] }> {
  mkdirSync(LSP_DIR, { recursive: true });
  const edits: EditRound[] = [];
  const workspace: WorkspaceRound[] = [];
  const codeActions: CodeActionRound[] = [];
  const wanted = new Set<LspStep>(o.steps ?? LSP_STEPS);
  for (let round = 0; round < o.rounds; round++) {
    // Alternate which half goes first, as the engine trials rotate.
    const steps = [
      async () => {
        if (!wanted.has('edits')) return;
        const r = await runEditRound(file, round, o);
        edits.push(r);
        o.log(
          `  round ${round + 1}/${o.rounds} edits     ${r.error ? 'FAILED ' + r.error : ''}` +
            `open→diagnostics ${fmt(r.openMs ?? NaN)} ms (${r.diagnosticsOnOpen ?? '?'} diagnostics), ${r.latencies.length} of ${r.edits} edits timed` +
            `${r.missing ? `, ${r.missing} without diagnostics` : ''}, matched by ${r.matchedBy}, RSS ${fmt(r.memoryAfter?.rssMb ?? NaN)} MB`,
        );
      },
      async () => {
        if (!wanted.has('workspace')) return;
        const r = await runWorkspaceRound(ws, round, 15 * 60_000);
        workspace.push(r);
        o.log(
          `  round ${round + 1}/${o.rounds} workspace ${r.error ? `FAILED (highest RSS seen ${fmt(r.maxSampledRssMb ?? NaN)} MB) ${r.error}\n    ` : ''}` +
            `analyzeWorkspace ${fmt(r.analyseMs ?? NaN)} ms (${r.result ? `${r.result.files} files, ${r.result.findings} findings, ${r.result.skipped} skipped` : '?'}), ` +
            `RSS idle ${fmt(r.idle?.rssMb ?? NaN)} MB → after ${fmt(r.after?.rssMb ?? NaN)} MB, peak ${fmt(r.after?.peakRssMb ?? NaN)} MB`,
        );
      },
    ];
    if (round % 2 === 1) steps.reverse();
    for (const step of steps) await step();
    if (wanted.has('code-actions')) {
      const r = await runCodeActionRound(file, round);
      codeActions.push(r);
      o.log(
        `  round ${round + 1}/${o.rounds} code actions ${r.error ? 'FAILED ' + r.error + ' ' : ''}${r.listMs.length} diagnostics listed, ${r.resolveMs.length} preferred fixes resolved, ` +
          `fix-all ${fmt((r.fixAllListMs ?? NaN) + (r.fixAllResolveMs ?? NaN), 1)} ms (${r.fixAllEdits ?? 0} edits)`,
      );
    }
  }
  // If the server ran out of its heap, learn what it would have needed: once more, untimed, with
  // a heap limit of our own.
  let unlimited: WorkspaceRound | undefined;
  if (wanted.has('workspace') && workspace.some((r) => /heap out of memory/.test(r.error ?? ''))) {
    o.log(`  the server ran out of heap: analysing the workspace once more with ${UNLIMITED_HEAP_FLAG}…`);
    unlimited = await runWorkspaceRound(ws, -1, 15 * 60_000, [UNLIMITED_HEAP_FLAG]);
  }
  const profile = o.profile && wanted.has('edits') ? await profileEditRound(file, o) : [];
  return { edits, workspace, codeActions, unlimited, profile };
}

export const UNLIMITED_HEAP_FLAG = '--max-old-space-size=4096';
