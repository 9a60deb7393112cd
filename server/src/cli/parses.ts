/** Whether a fixed file still parses (a fix that breaks syntax is a bug; --fix refuses to write it). */
import ts from 'typescript';
import { scriptKindOf } from '../engine/parse';

export function parsesWithoutErrors(fileName: string, text: string): boolean {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKindOf(fileName));
  const host: ts.CompilerHost = {
    getSourceFile: (name) => (name === fileName ? sf : undefined),
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => {},
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (name) => name === fileName,
    readFile: (name) => (name === fileName ? text : undefined),
  };
  const program = ts.createProgram({ rootNames: [fileName], options: { noLib: true, allowJs: true, noEmit: true, jsx: ts.JsxEmit.Preserve }, host });
  return program.getSyntacticDiagnostics(sf).length === 0;
}
