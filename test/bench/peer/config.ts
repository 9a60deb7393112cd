/**
 * The peer's flat config: typescript-eslint's parser (no type information: the engine has none
 * either) and the one comparable rule, on every extension the engine analyses. Inline
 * `eslint-disable` comments in the corpus are ignored so the packages' own directives (naming
 * rules we do not load) cannot add errors or switch our rule off.
 */
import type { ESLint, Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import { fileToSocketRule } from './file-to-socket-rule';

export const PEER_RULE_ID = 'bench/file-to-socket';

const plugin: ESLint.Plugin = { rules: { 'file-to-socket': fileToSocketRule } };

export function peerConfig(): Linter.Config[] {
  return [
    // The corpus is installed under node_modules, which ESLint always ignores unless told not to.
    { ignores: ['!**/node_modules/'] },
    {
      files: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'],
      plugins: { bench: plugin },
      languageOptions: {
        parser: tsParser as unknown as Linter.Parser,
        // ESLint's own default for .js; CommonJS files still parse (require is just a call).
        sourceType: 'module',
        parserOptions: { ecmaFeatures: { jsx: true } },
      },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      rules: { [PEER_RULE_ID]: 'warn' },
    },
    { files: ['**/*.cjs', '**/*.cts'], languageOptions: { sourceType: 'commonjs' } },
  ];
}
