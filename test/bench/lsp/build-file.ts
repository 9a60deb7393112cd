/**
 * The file edited through the LSP: real modules from the corpus (static file servers, upload
 * clients: code with findings), concatenated in the order corpus.json gives until the file has
 * at least `minLines` lines. Each module keeps its own function scope, so the file is one
 * plausible script rather than clashing top-level declarations.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from '../corpus/install';
import type { CorpusSpec } from '../corpus/spec';
import { LSP_DIR } from '../paths';

export interface EditedFile {
  path: string;
  text: string;
  lines: number;
  sources: string[];
}

/** `minLines` (default: corpus.json's) and `name` (default file-servers.js) make the shorter file of the typing-day run. */
export function buildEditedFile(spec: CorpusSpec, minLines = spec.lspFile.minLines, name = 'file-servers.js'): EditedFile {
  const parts: string[] = [];
  const sources: string[] = [];
  let lines = 0;
  for (const s of spec.lspFile.sources) {
    if (lines >= minLines) break;
    const version = spec.packages.find((p) => p.name === s.package)?.version ?? '?';
    const body = readFileSync(join(packageDir(s.package), s.path), 'utf8').replace(/^#!.*\n/, '').replace(/\n?$/, '\n');
    const part = `// ---- ${s.package}@${version} ${s.path}\n;(function () {\n${body}})();\n`;
    parts.push(part);
    sources.push(`${s.package}@${version}/${s.path}`);
    lines += part.split('\n').length - 1;
  }
  if (lines < minLines) throw new Error(`lspFile: the listed sources give only ${lines} lines (< ${minLines})`);
  const dir = join(LSP_DIR, 'edit');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const text = parts.join('');
  writeFileSync(path, text);
  return { path, text, lines, sources };
}
