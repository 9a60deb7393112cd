import type { DocumentSelector } from 'vscode-languageclient/node';

/**
 * The files the server analyses: TypeScript and JavaScript on disk. `.mjs`/`.cjs` are `javascript`
 * and `.mts`/`.cts` are `typescript` to VS Code, so the four language ids cover every extension the
 * engine accepts. Untitled buffers and virtual documents (git diffs, previews) are left alone.
 */
export const ANALYSED_LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'] as const;

export const documentSelector: DocumentSelector = ANALYSED_LANGUAGES.map((language) => ({ scheme: 'file', language }));
