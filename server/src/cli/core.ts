/**
 * The commands that load the engine, TypeScript and the language server. Bundled apart from
 * `main` (dist/core.js) so that the `zerocopy` process that only relays stdio stays small.
 */
export { benchCommand } from './benchCommand';
export { checkCommand } from './checkCommand';
export { lspCommand } from './lspCommand';
