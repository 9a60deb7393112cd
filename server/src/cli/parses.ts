/** Whether a fixed file still parses (a fix that breaks syntax is a bug; --fix refuses to write it). */
import ts from 'typescript';
import { scriptKindOf, singleFileProgram } from '../engine/parse';

export function parsesWithoutErrors(fileName: string, text: string): boolean {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKindOf(fileName));
  const program = singleFileProgram(sf, { noLib: true, allowJs: true, noEmit: true, jsx: ts.JsxEmit.Preserve });
  return program.getSyntacticDiagnostics(sf).length === 0;
}
