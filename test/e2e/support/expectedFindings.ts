/**
 * What the extension should show for a folder, computed by the engine itself in this process:
 * the e2e suite checks that what a person sees in VS Code is what the product finds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyzeFile, isAnalyzableFile, Project, type Finding } from '../../../server/src/engine';

/** Findings by file, keyed by the path relative to `folder` ('/'-separated), sorted by position. */
export function expectedFindings(folder: string): Map<string, Finding[]> {
  const files = sourceFiles(folder);
  const project = new Project({ getText: (fileName) => readText(fileName) });
  const seen = new Set<string>();
  const byFile = new Map<string, Finding[]>();
  for (const fileName of files) {
    // A finding is reported where its source call is, which may be another file than the one analysed.
    for (const finding of analyzeFile(fileName, readText(fileName) ?? '', { project }).findings) {
      const key = `${finding.fileName}:${finding.range.start.line}:${finding.range.start.character}:${finding.rule}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const rel = relative(folder, finding.fileName).split('\\').join('/');
      byFile.set(rel, [...(byFile.get(rel) ?? []), finding]);
    }
  }
  for (const list of byFile.values()) {
    list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }
  return byFile;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return isAnalyzableFile(path) ? [path] : [];
  });
}

function readText(fileName: string): string | undefined {
  try {
    return readFileSync(fileName, 'utf8');
  } catch {
    return undefined;
  }
}
