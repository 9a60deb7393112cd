/**
 * What `TextDocuments` listens to, checked before it sees it. The client owns the documents, but
 * the server decides what it believes:
 * - nothing before `initialize` or after `shutdown` (lifecycle.ts);
 * - a message whose shape is wrong (no text, a version that is not a whole number, a range that
 *   is not one) is logged and dropped, never half applied;
 * - a `didChange` whose version is not newer than the document's is logged and dropped: it is
 *   never analysed, or published, as if it were the newest text;
 * - a `didChange` with a range on a line the document does not have (at that point of the
 *   change list) is logged and dropped: `TextDocument` would leave holes in its line table and
 *   compute positions as NaN from then on.
 */
import type {
  Connection,
  DidChangeTextDocumentParams,
  DidCloseTextDocumentParams,
  DidOpenTextDocumentParams,
  DidSaveTextDocumentParams,
  TextDocumentSyncKind,
  WillSaveTextDocumentParams,
} from 'vscode-languageserver/node';
import type { Lifecycle } from './lifecycle';

export interface DocumentSyncDeps {
  connection: Connection;
  lifecycle: Lifecycle;
  /** The version and line count of the open document at `uri`, if it is open. */
  documentAt(uri: string): { version: number; lineCount: number } | undefined;
  log(message: string): void;
}

/** The part of a connection `TextDocuments.listen` uses. */
type TextDocumentConnection = Pick<
  Connection,
  | 'onDidOpenTextDocument'
  | 'onDidChangeTextDocument'
  | 'onDidCloseTextDocument'
  | 'onWillSaveTextDocument'
  | 'onWillSaveTextDocumentWaitUntil'
  | 'onDidSaveTextDocument'
>;

export function checkedDocumentEvents(deps: DocumentSyncDeps): TextDocumentConnection & { __textDocumentSync?: TextDocumentSyncKind } {
  const { connection, lifecycle } = deps;
  const drop = (method: string, why: string) => deps.log(`zerocopy: ignored ${method}: ${why}`);
  return {
    onDidOpenTextDocument: (handler) =>
      connection.onDidOpenTextDocument(
        lifecycle.notification((params: DidOpenTextDocumentParams) => {
          const td: unknown = params?.textDocument;
          if (!isRecord(td) || typeof td.uri !== 'string' || typeof td.languageId !== 'string' || typeof td.text !== 'string' || !isVersion(td.version)) {
            return drop('textDocument/didOpen', 'it needs a uri, a languageId, a whole-number version and the text');
          }
          handler(params);
        }),
      ),
    onDidChangeTextDocument: (handler) =>
      connection.onDidChangeTextDocument(
        lifecycle.notification((params: DidChangeTextDocumentParams) => {
          const td: unknown = params?.textDocument;
          if (!isRecord(td) || typeof td.uri !== 'string' || !isVersion(td.version) || !Array.isArray(params.contentChanges) || !params.contentChanges.every(isChange)) {
            return drop('textDocument/didChange', 'it needs a uri, a whole-number version and changes each with text and, if any, a valid range');
          }
          const current = deps.documentAt(td.uri);
          if (current !== undefined && td.version <= current.version) {
            return drop('textDocument/didChange', `version ${td.version} of ${td.uri} is not newer than the open version ${current.version}`);
          }
          const outside = current === undefined ? -1 : changeOutsideDocument(params.contentChanges, current.lineCount);
          if (outside >= 0) return drop('textDocument/didChange', `change ${outside} of version ${td.version} of ${td.uri} has a range on a line the document does not have`);
          handler(params);
        }),
      ),
    onDidCloseTextDocument: (handler) =>
      connection.onDidCloseTextDocument(lifecycle.notification((params: DidCloseTextDocumentParams) => hasUri(params) && handler(params))),
    onWillSaveTextDocument: (handler) =>
      connection.onWillSaveTextDocument(lifecycle.notification((params: WillSaveTextDocumentParams) => hasUri(params) && handler(params))),
    onWillSaveTextDocumentWaitUntil: (handler) => connection.onWillSaveTextDocumentWaitUntil(lifecycle.request('textDocument/willSaveWaitUntil', handler)),
    onDidSaveTextDocument: (handler) =>
      connection.onDidSaveTextDocument(lifecycle.notification((params: DidSaveTextDocumentParams) => hasUri(params) && handler(params))),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isVersion(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function hasUri(params: unknown): boolean {
  return isRecord(params) && isRecord(params.textDocument) && typeof params.textDocument.uri === 'string';
}

function isPosition(value: unknown): boolean {
  return isRecord(value) && isCount(value.line) && isCount(value.character);
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isChange(change: unknown): boolean {
  if (!isRecord(change) || typeof change.text !== 'string') return false;
  if (change.range === undefined) return true;
  return isRecord(change.range) && isPosition(change.range.start) && isPosition(change.range.end);
}

/**
 * The index of the first change whose range names a line past the end of the text it applies to
 * (each change applies to what the previous ones left), or -1. Line counts follow the changes
 * without applying them: a range spanning k lines replaced by text with b line breaks changes the
 * count by b - k.
 */
function changeOutsideDocument(changes: ReadonlyArray<{ text: string; range?: { start: { line: number }; end: { line: number } } }>, lineCount: number): number {
  let lines = lineCount;
  for (let i = 0; i < changes.length; i++) {
    const { range, text } = changes[i]!;
    const breaks = (text.match(/\r\n|\r|\n/g) ?? []).length;
    if (!range) {
      lines = breaks + 1;
      continue;
    }
    const first = Math.min(range.start.line, range.end.line);
    const last = Math.max(range.start.line, range.end.line);
    if (last > lines - 1) return i;
    lines += breaks - (last - first);
  }
  return -1;
}
