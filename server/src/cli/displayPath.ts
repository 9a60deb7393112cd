/** How a file is named in reports: relative to the working folder with `/`, or absolute if outside it. */
import { isAbsolute, relative, sep } from 'node:path';

export function displayPath(fileName: string, cwd: string): string {
  const rel = relative(cwd, fileName);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return fileName;
  return sep === '/' ? rel : rel.split(sep).join('/');
}
