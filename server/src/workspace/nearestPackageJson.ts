/**
 * The package.json a file belongs to: in its folder or the nearest folder above. A fix that imports
 * the `zerocopy` runtime adds the dependency there. `textOf` decides where texts come from (the
 * disk for the CLI, open documents first for the language server); it returns undefined for a
 * file that does not exist.
 */
import { dirname, isAbsolute, join } from 'node:path';

export function nearestPackageJson(fileName: string, textOf: (fileName: string) => string | undefined): { fileName: string; text: string } | undefined {
  if (!isAbsolute(fileName)) return undefined;
  for (let dir = dirname(fileName); ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    const text = textOf(candidate);
    if (text !== undefined) return { fileName: candidate, text };
    if (dirname(dir) === dir) return undefined;
  }
}
