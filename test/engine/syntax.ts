/**
 * Syntax check for fixture and example code with the same TypeScript the engine parses with: a
 * case that does not parse would test the engine's error recovery, not the rule.
 */
import ts from 'typescript';
import { singleFileProgram } from '../../server/src/engine/parse';

const HOST_OPTIONS: ts.CompilerOptions = { noLib: true, allowJs: true, checkJs: false, jsx: ts.JsxEmit.Preserve, noEmit: true };

/** The syntactic diagnostics of one file (parse errors, and for JS files TS-only syntax), as text. */
export function syntaxErrors(fileName: string, text: string): string[] {
  const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const program = singleFileProgram(sourceFile, HOST_OPTIONS);
  return program.getSyntacticDiagnostics(sourceFile).map((d) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}
