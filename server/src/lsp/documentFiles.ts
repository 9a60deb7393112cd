/**
 * The engine and the disk speak file names; LSP speaks URIs. A `file:` URI maps to its path.
 * Other schemes (an unsaved `untitled:` buffer), and JS/TS files whose name has no JS/TS
 * extension (a script with a shebang), get a stable pseudo file name that ends in an extension
 * the engine analyses, chosen from the language id.
 *
 * Diagnostics for a file the editor has open are published under the exact URI the editor
 * used (clients compare URIs as strings, and encodings differ); other files get the URI
 * Node builds from the path.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isAnalyzableFile } from '../engine';

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
  return isAnalyzableFile(name) ? name : name + extension;
}

export function uriOf(fileName: string): string {
  // Pseudo names of non-file documents are the URI (plus maybe an extension) already.
  if (/^[a-z][a-z0-9+.-]*:/i.test(fileName) && !/^[a-z]:[\\/]/i.test(fileName)) return fileName;
  return pathToFileURL(fileName).href;
}
