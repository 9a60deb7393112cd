/**
 * What `TextDocuments` listens to, checked before it sees it. The client owns the documents, but
 * the server decides what it believes:
 * - nothing before `initialize` or after `shutdown` (lifecycle.ts);
 * - a message whose shape is wrong (no text, a version that is not a whole number, a range that
 *   is not one) is logged and dropped, never half applied;
 * - a `didChange` whose version is not newer than the document's is logged and dropped: it is
 *   never analysed, or published, as if it were the newest text.
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
  /** The version of the open document at `uri`, if it is open. */
  versionOf(uri: string): number | undefined;
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
          const current = deps.versionOf(td.uri);
          if (current !== undefined && td.version <= current) {
            return drop('textDocument/didChange', `version ${td.version} of ${td.uri} is not newer than the open version ${current}`);
          }
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
