/**
 * Which open documents may import a file that just changed, so their cross-file findings are
 * re-checked. The engine keeps summaries per file but no reverse import graph, so this looks
 * for a module specifier naming the file (`'./helper'`, `"../lib/helper.js"`, or the folder of
 * an `index` file) in each document's text. It may over-match (a re-check too many); it only
 * misses imports spelled without the file's name, which no relative import can do.
 */
import { basename, dirname, extname } from 'node:path';

export function mayImport(text: string, changedFile: string): boolean {
  const names = [basename(changedFile, extname(changedFile))];
  if (names[0] === 'index') names.push(basename(dirname(changedFile)));
  return names.some((name) => new RegExp(`['"\`][^'"\`\\n]*/${escape(name)}(\\.[cm]?[jt]sx?)?/?['"\`]`).test(text));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
