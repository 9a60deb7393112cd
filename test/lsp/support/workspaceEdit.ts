/**
 * Applies a WorkspaceEdit the way an editor does, for tests: each `TextDocumentEdit` only to the
 * version it names (a mismatch is refused, as VS Code and Neovim refuse it), edits of one
 * document all against its text before the edit, overlapping edits refused (insertions at one
 * point go in the order given).
 */
import type { TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver';

export interface EditedDocument {
  /** null for a file the editor does not have open (its text on disk). */
  version: number | null;
  text: string;
}

export class VersionMismatch extends Error {}

/** LSP position -> offset in `text` (UTF-16 code units, as JS strings index). */
export function offsetAt(text: string, position: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + position.character, text.length);
}

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const spans = edits
    .map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]!.start < spans[i - 1]!.end) {
      throw new Error(`overlapping edits: ${JSON.stringify(spans[i - 1])} and ${JSON.stringify(spans[i])}`);
    }
  }
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + span.newText;
    at = span.end;
  }
  return out + text.slice(at);
}

/** The documents' new texts, by URI. `documents` holds every document the edit may touch. */
export function applyWorkspaceEdit(edit: WorkspaceEdit, documents: ReadonlyMap<string, EditedDocument>): Map<string, string> {
  const out = new Map<string, string>();
  const changes = (edit.documentChanges ?? []) as TextDocumentEdit[];
  for (const change of changes) {
    const uri = change.textDocument.uri;
    const document = documents.get(uri);
    if (!document) throw new Error(`the edit touches ${uri}, which the test did not expect`);
    const wanted = change.textDocument.version;
    if (wanted !== null && wanted !== document.version) throw new VersionMismatch(`${uri} is at version ${document.version}, the edit is for ${wanted}`);
    out.set(uri, applyTextEdits(out.get(uri) ?? document.text, change.edits as TextEdit[]));
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
    out.set(uri, applyTextEdits(out.get(uri) ?? documents.get(uri)!.text, edits));
  }
  return out;
}
