/**
 * `textDocument/codeAction` and `codeAction/resolve` on zerocopy diagnostics:
 * - the preferred fix of a finding as a `quickfix` marked `isPreferred`, its alternatives as
 *   further quick fixes;
 * - "disable for this line" (`// zerocopy-disable-next-line <rule>`, indented like the line);
 * - "show the rule's docs" (the `zerocopy.showRuleDocs` command);
 * - `source.fixAll.zerocopy`: every preferred fix of the file in one edit, none overlapping
 *   another, when the client asks for fix-all actions (`editor.codeActionsOnSave`, "Fix All").
 *
 * Every edit is a `TextDocumentEdit` carrying the version it was computed for, so a client never
 * applies it to a newer text; and nothing is computed for a diagnostic of an older version, or
 * from findings that are not those of the document's current text. Fixes themselves come from
 * `server/src/fixes` through `deps.fixesFor`: this file only turns them into LSP.
 */
import {
  CodeActionKind,
  LSPErrorCodes,
  ResponseError,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextDocumentEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { Finding, Range, RuleId } from '../engine';
import { COMMANDS, DIAGNOSTIC_SOURCE, type FindingDiagnosticData } from '../protocol';
import { findingKey } from '../report/findingOrder';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.zerocopy`;
/** What `initialize` announces in `codeActionProvider.codeActionKinds`. */
export const CODE_ACTION_KINDS = [CodeActionKind.QuickFix, FIX_ALL_KIND];

/** One text edit of a fix; `fileName` may be another file than the finding's (`package.json`). */
export interface FixEdit {
  fileName: string;
  range: Range;
  newText: string;
}
export interface FixLike {
  kind: string;
  title: string;
  preferred: boolean;
  edits: readonly FixEdit[];
}
export interface FixesLike {
  fixes: readonly FixLike[];
  /** Why there is no fix, when `fixes` is empty. */
  noFix?: string;
}

export interface CodeActionDocument {
  fileName: string;
  version: number;
  getText(): string;
}

export interface CodeActionDeps {
  /** The open document behind a URI (code actions exist for open documents only). */
  document(uri: string): CodeActionDocument | undefined;
  /**
   * The findings located in `fileName` if they were computed from the text at `version`;
   * undefined while they are not (the document changed and is being analysed again).
   */
  findingsAt(fileName: string, version: number): readonly Finding[] | undefined;
  /** The fix engine for one finding of `text` (the document's current text). */
  fixesFor(fileName: string, text: string, finding: Finding): FixesLike;
  /** How an edit addresses a file: the URI the editor uses and its version if open, else null. */
  editTarget(fileName: string): { uri: string; version: number | null };
  /** Whether the client can resolve `edit` lazily (`codeAction/resolve`). */
  clientResolvesEdits(): boolean;
}

/** What `CodeAction.data` carries between the list and `codeAction/resolve`. */
interface ResolveData {
  uri: string;
  version: number;
  /** The finding's key (`findingKey`), or 'all' for the fix-all action. */
  finding: string;
  /** Index among the finding's fixes. */
  fix?: number;
}

export interface CodeActionHandlers {
  codeAction(params: CodeActionParams): CodeAction[];
  resolve(action: CodeAction): CodeAction;
}

export function createCodeActionHandlers(deps: CodeActionDeps): CodeActionHandlers {
  /** The document and its findings, if the findings are those of `version` (the current text). */
  function current(uri: string, version?: number) {
    const document = deps.document(uri);
    if (!document || (version !== undefined && document.version !== version)) return undefined;
    const findings = deps.findingsAt(document.fileName, document.version);
    return findings && { document, findings };
  }

  function fixAllEdit(uri: string): WorkspaceEdit | undefined {
    const state = current(uri);
    if (!state) return undefined;
    const text = state.document.getText();
    const chosen: FixLike[] = [];
    for (const finding of state.findings) {
      const preferred = deps.fixesFor(state.document.fileName, text, finding).fixes.find((f) => f.preferred);
      if (preferred) chosen.push(preferred);
    }
    return chosen.length === 0 ? undefined : workspaceEdit(deps, nonOverlapping(chosen));
  }

  function codeAction(params: CodeActionParams): CodeAction[] {
    const uri = params.textDocument.uri;
    const only = params.context.only;
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
    const actions: CodeAction[] = [];
    const lazy = deps.clientResolvesEdits();

    if (wants(CodeActionKind.QuickFix)) {
      for (const diagnostic of params.context.diagnostics as unknown[]) {
        if (!isOurDiagnostic(diagnostic)) continue;
        const data = diagnostic.data as Partial<FindingDiagnosticData>;
        // A diagnostic of another version describes another text: nothing is offered for it.
        const state = current(uri, typeof data.version === 'number' ? data.version : undefined);
        if (!state) continue;
        const finding = findingOf(state.findings, diagnostic, data);
        if (!finding) continue;
        const { document } = state;
        const result = deps.fixesFor(document.fileName, document.getText(), finding);
        result.fixes.forEach((fix, index) => {
          const data: ResolveData = { uri, version: document.version, finding: findingKey(finding), fix: index };
          actions.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            ...(fix.preferred ? { isPreferred: true } : {}),
            ...(lazy ? { data } : { edit: workspaceEdit(deps, [fix]) }),
          });
        });
        actions.push(disableAction(uri, document, finding.rule, diagnostic));
        actions.push({
          title: `Show the docs of zerocopy's \`${finding.rule}\` rule`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title: `Show the docs of ${finding.rule}`, command: COMMANDS.showRuleDocs, arguments: [finding.rule] },
        });
      }
    }

    // Fix-all is offered only when asked for by kind (on save, "Fix All"), never in the lightbulb.
    if (only?.some((o) => FIX_ALL_KIND === o || FIX_ALL_KIND.startsWith(`${o}.`))) {
      const document = deps.document(uri);
      if (document && (current(uri)?.findings.length ?? 0) > 0) {
        const action: CodeAction = { title: 'Fix all zero-copy findings in this file', kind: FIX_ALL_KIND };
        if (lazy) action.data = { uri, version: document.version, finding: 'all' } satisfies ResolveData;
        else {
          const edit = fixAllEdit(uri);
          if (edit) action.edit = edit;
        }
        if (action.data || action.edit) actions.push(action);
      }
    }
    return actions;
  }

  function resolve(action: CodeAction): CodeAction {
    const data = action.data as ResolveData | undefined;
    if (!isRecord(data) || typeof data.uri !== 'string' || typeof data.version !== 'number' || typeof data.finding !== 'string') return action;
    const stale = () => new ResponseError(LSPErrorCodes.ContentModified, `${data.uri} changed since version ${data.version}: ask for code actions again`);
    const state = current(data.uri, data.version);
    if (!state) throw stale();
    if (data.finding === 'all') {
      const edit = fixAllEdit(data.uri);
      return { ...action, edit: edit ?? { documentChanges: [] } };
    }
    const finding = state.findings.find((f) => findingKey(f) === data.finding);
    const fix = finding && deps.fixesFor(state.document.fileName, state.document.getText(), finding).fixes[data.fix ?? -1];
    if (!fix || fix.title !== action.title) throw stale();
    return { ...action, edit: workspaceEdit(deps, [fix]) };
  }

  return { codeAction, resolve };
}

/** Params a client could send: checked before the handler reads them (diagnostics are checked one by one). */
export function isCodeActionParams(params: unknown): params is CodeActionParams {
  return (
    isRecord(params) &&
    isRecord(params.textDocument) &&
    typeof params.textDocument.uri === 'string' &&
    isRange(params.range) &&
    isRecord(params.context) &&
    Array.isArray(params.context.diagnostics) &&
    (params.context.only === undefined || (Array.isArray(params.context.only) && params.context.only.every((k) => typeof k === 'string')))
  );
}

/** A code action as codeAction/resolve receives it back (its data is checked by `resolve`). */
export function isCodeAction(action: unknown): action is CodeAction {
  return isRecord(action) && typeof action.title === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPosition(value: unknown): boolean {
  return isRecord(value) && Number.isSafeInteger(value.line) && Number.isSafeInteger(value.character);
}

function isRange(value: unknown): value is Range {
  return isRecord(value) && isPosition(value.start) && isPosition(value.end);
}

/** A diagnostic of ours, as the client hands it back (anything else in the list is skipped). */
function isOurDiagnostic(diagnostic: unknown): diagnostic is Diagnostic {
  return isRecord(diagnostic) && diagnostic.source === DIAGNOSTIC_SOURCE && isRange(diagnostic.range) && isRecord(diagnostic.data) && typeof diagnostic.data.rule === 'string';
}

/** The finding a diagnostic was published for: by index, checked against its range and rule. */
function findingOf(findings: readonly Finding[], diagnostic: Diagnostic, data: Partial<FindingDiagnosticData>): Finding | undefined {
  const same = (f: Finding | undefined) => f !== undefined && f.rule === data.rule && sameRange(f.range, diagnostic.range);
  const byIndex = typeof data.findingIndex === 'number' ? findings[data.findingIndex] : undefined;
  return same(byIndex) ? byIndex : findings.find(same);
}

/** `// zerocopy-disable-next-line <rule>` above the finding's line, indented like it; or the rule added to such a comment already there. */
function disableAction(uri: string, document: CodeActionDocument, rule: RuleId, diagnostic: Diagnostic): CodeAction {
  const text = document.getText();
  const line = diagnostic.range.start.line;
  const lineText = lineAt(text, line);
  const indent = /^[ \t]*/.exec(lineText)![0];
  const above = line > 0 ? lineAt(text, line - 1) : undefined;
  const existing = above === undefined ? null : /^([ \t]*\/\/[ \t]*zerocopy-disable-next-line\b)(.*)$/.exec(above);
  const edit = existing
    ? { range: { start: { line: line - 1, character: above!.length }, end: { line: line - 1, character: above!.length } }, newText: ` ${rule}` }
    : { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}// zerocopy-disable-next-line ${rule}${eol(text)}` };
  return {
    title: `Disable \`${rule}\` for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { documentChanges: [{ textDocument: { uri, version: document.version }, edits: [edit] }] },
  };
}

/** Line `line` of `text` (0-based), without its line ending; found without splitting the whole text. */
function lineAt(text: string, line: number): string {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return '';
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}

function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * Keeps fixes whose edits overlap none of the fixes kept before them (in the order given).
 * Edits identical in file, range and text (the same import, the same `package.json` line) are
 * one edit shared by the fixes that make it.
 */
export function nonOverlapping(fixes: readonly FixLike[]): FixLike[] {
  const kept: FixLike[] = [];
  const taken: FixEdit[] = [];
  for (const fix of fixes) {
    const fresh = fix.edits.filter((e) => !taken.some((t) => sameEdit(t, e)));
    if (fresh.some((e) => taken.some((t) => overlaps(t, e)))) continue;
    kept.push(fix);
    taken.push(...fresh);
  }
  return kept;
}

function sameEdit(a: FixEdit, b: FixEdit): boolean {
  return a.fileName === b.fileName && a.newText === b.newText && sameRange(a.range, b.range);
}

/** Two edits of one file touch: ranges intersect, or both insert at the same point (their order would be arbitrary). */
function overlaps(a: FixEdit, b: FixEdit): boolean {
  if (a.fileName !== b.fileName) return false;
  if (sameRange(a.range, b.range)) return true;
  return before(a.range.start, b.range.end) && before(b.range.start, a.range.end);
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** One `TextDocumentEdit` per file the fixes touch, each with that file's version (null when not open). */
export function workspaceEdit(deps: Pick<CodeActionDeps, 'editTarget'>, fixes: readonly FixLike[]): WorkspaceEdit {
  const byFile = new Map<string, FixEdit[]>();
  for (const fix of fixes) {
    for (const edit of fix.edits) {
      const list = byFile.get(edit.fileName) ?? [];
      if (!list.some((e) => sameEdit(e, edit))) list.push(edit);
      byFile.set(edit.fileName, list);
    }
  }
  const documentChanges: TextDocumentEdit[] = [...byFile].map(([fileName, edits]) => ({
    textDocument: deps.editTarget(fileName),
    edits: edits.map(({ range, newText }) => ({ range, newText })),
  }));
  return { documentChanges };
}
