/**
 * Prints the fixture position of a callee in a fixture case, for writing a new expected finding
 * without counting columns by eye:
 *
 *   npx tsc -b test && node out/test/engine/locate-callee.js <rule> "<case name>" <callee> [nth] [file]
 *
 * `nth` (1-based) picks among several calls of the same callee; `file` is one of the case's other
 * files (relative path), default the case's own code. Only occurrences followed by `(` count.
 */
import type { RuleFixture } from './fixture-format';

export function locateCallee(text: string, callee: string, nth = 1): { line: number; column: number; endLine: number; endColumn: number } | undefined {
  const hits: number[] = [];
  for (let i = text.indexOf(callee); i !== -1; i = text.indexOf(callee, i + 1)) {
    const before = i === 0 ? '' : text[i - 1]!;
    if (/[\w$.]/.test(before) || !/^\s*\(/.test(text.slice(i + callee.length))) continue;
    hits.push(i);
  }
  const offset = hits[nth - 1];
  if (offset === undefined) return undefined;
  const lines = text.slice(0, offset).split('\n');
  const line = lines.length;
  const column = lines[lines.length - 1]!.length + 1;
  return { line, column, endLine: line, endColumn: column + callee.length };
}

if (require.main === module) {
  const [rule, name, callee, nth, file] = process.argv.slice(2);
  if (!rule || !name || !callee) {
    console.error('usage: locate-callee <rule> "<case name>" <callee> [nth] [file]');
    process.exit(2);
  }
  const fixture = (require(`./fixtures/${rule}`) as { default: RuleFixture }).default;
  const found = [...fixture.valid, ...fixture.invalid].find((c) => c.name === name);
  const text = found && (file ? found.files?.[file] : found.code);
  const position = text === undefined ? undefined : locateCallee(text, callee, nth ? Number(nth) : 1);
  if (!position) {
    console.error(found ? `no call of ${callee} there` : `no case named "${name}" in fixtures/${rule}.ts`);
    process.exit(1);
  }
  const parts = Object.entries(position).map(([k, v]) => `${k}: ${v}`);
  console.log(`{ ${parts.join(', ')}, recommendation: '…'${file ? `, file: '${file}'` : ''} }, // ${callee}`);
}
