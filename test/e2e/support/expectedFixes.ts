/**
 * What the quick fixes of a file should be, computed by the engine and the fix engine in this
 * process from the files on disk, as the server computes them: the e2e suite checks that what VS
 * Code offers and applies is what the product computes.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyzeFile, Project, type Finding } from '../../../server/src/engine';
import { fixesFor, type FixResult } from '../../../server/src/fixes';
import { bundledRuntimeVersion } from '../../../server/src/report/runtimeVersion';

function readText(fileName: string): string | undefined {
  try {
    return readFileSync(fileName, 'utf8');
  } catch {
    return undefined;
  }
}

function packageJsonOf(fileName: string): { fileName: string; text: string } | undefined {
  for (let dir = dirname(fileName); dirname(dir) !== dir; dir = dirname(dir)) {
    const text = readText(join(dir, 'package.json'));
    if (text !== undefined) return { fileName: join(dir, 'package.json'), text };
  }
  return undefined;
}

/** The findings located in `fileName` and the fix engine's answer for each, in document order. */
export function expectedFixes(fileName: string): Array<{ finding: Finding; result: FixResult }> {
  const project = new Project({ getText: readText });
  const text = readText(fileName)!;
  return analyzeFile(fileName, text, { project })
    .findings.filter((f) => f.fileName === fileName)
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
    .map((finding) => ({
      finding,
      result: fixesFor({ fileName, text, finding, getText: readText, packageJson: packageJsonOf(fileName), zerocopyVersion: bundledRuntimeVersion(), project }),
    }));
}
