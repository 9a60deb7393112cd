/**
 * The engine and the disk speak file names; LSP speaks URIs. A `file:` URI maps to its path (a Node
 * script without an extension on disk keeps it: sourceFiles.ts). Other schemes (an unsaved
 * `untitled:` buffer), and other JS/TS documents whose name has no JS/TS extension, get a stable
 * pseudo file name that ends in an extension the engine analyses, chosen from the language id.
 *
 * Diagnostics for a file the editor has open are published under the exact URI the editor
 * used (clients compare URIs as strings, and encodings differ); other files get the URI
 * Node builds from the path.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hasNoExtension, isAnalyzableFile } from '../engine';
import { isSourceFile } from '../workspace/sourceFiles';

const EXTENSION_BY_LANGUAGE: Record<string, string> = {
  javascript: '.js',
  javascriptreact: '.jsx',
  typescript: '.ts',
  typescriptreact: '.tsx',
};

export function fileNameOf(uri: string, languageId?: string): string {
  let name = uri;
  if (uri.startsWith('file:')) {
    try {
      name = fileURLToPath(uri);
    } catch {
      // a malformed file URI: keep the URI as the name
    }
  }
  const extension = (languageId && EXTENSION_BY_LANGUAGE[languageId]) ?? '';
  if (isAnalyzableFile(name)) return name;
  // A Node script on disk without an extension (`bin/serve`) keeps its name: the workspace walk lists it so.
  if (uri.startsWith('file:') && hasNoExtension(name) && isSourceFile(name)) return name;
  return name + extension;
}

export function uriOf(fileName: string): string {
  // Pseudo names of non-file documents are the URI (plus maybe an extension) already.
  if (/^[a-z][a-z0-9+.-]*:/i.test(fileName) && !/^[a-z]:[\\/]/i.test(fileName)) return fileName;
  return pathToFileURL(fileName).href;
}
