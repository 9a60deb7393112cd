/**
 * examples/ analysed as one project must give exactly the findings listed in examples/README.md's
 * table (file:line, rule, recommendation) — the table is parsed, so the two cannot drift.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { analyzeFile, isAnalyzableFile, Project, RECOMMENDATIONS, RULE_IDS, type Finding } from '../../server/src/engine/index';
import { tableRows } from './markdown';
import { repoPath } from './repo';
import { syntaxErrors } from './syntax';

const EXAMPLES = repoPath('examples');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return [];
    const full = join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : isAnalyzableFile(full) ? [full] : [];
  });
}

const toPosix = (p: string): string => p.split(sep).join('/');
const describeRow = (r: { location: string; rule: string; recommendation: string }): string => `${r.location} ${r.rule} ${r.recommendation}`;

/** The README's expected findings: rows whose first cell is a `file:line` location. */
function expectedRows(readme: string): Array<{ location: string; rule: string; recommendation: string }> {
  return tableRows(readme).flatMap((cells) => {
    const location = /^`([^`]+:\d+)`$/.exec(cells[0] ?? '')?.[1];
    if (!location) return [];
    const unquote = (cell: string | undefined): string => (cell ?? '').replace(/^`|`$/g, '');
    return [{ location, rule: unquote(cells[1]), recommendation: unquote(cells[2]) }];
  });
}

describe('examples/', () => {
  const files = walk(EXAMPLES).sort();
  const texts = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
  const readme = readFileSync(join(EXAMPLES, 'README.md'), 'utf8');
  const expected = expectedRows(readme);

  it('has JS and TS files to analyse, and a README table of expected findings', () => {
    assert.ok(files.length >= 8, `only ${files.length} files`);
    assert.ok(expected.length >= 5, `only ${expected.length} expected findings in examples/README.md`);
    for (const row of expected) {
      assert.ok((RULE_IDS as readonly string[]).includes(row.rule), `unknown rule in README: ${describeRow(row)}`);
      assert.ok((RECOMMENDATIONS as readonly string[]).includes(row.recommendation), `unknown recommendation in README: ${describeRow(row)}`);
    }
  });

  it('every file parses', () => {
    const errors = [...texts].flatMap(([f, text]) => syntaxErrors(f, text).map((m) => `${toPosix(relative(EXAMPLES, f))}: ${m}`));
    assert.deepEqual(errors, []);
  });

  it('every file the README names exists', () => {
    const named = [...readme.matchAll(/`(media-server\/[^`:]+)(?::\d+)?`/g)].map((m) => m[1]!);
    for (const name of named) assert.ok(existsSync(join(EXAMPLES, name)), `${name} is named in examples/README.md but does not exist`);
  });

  it('gives exactly the findings the README lists', () => {
    const project = new Project({ getText: (f) => texts.get(f) });
    const found = new Map<string, Finding>();
    for (const [fileName, text] of texts) {
      const result = analyzeFile(fileName, text, { project });
      assert.equal(result.skipped, undefined, `${fileName} was skipped: ${result.skipped?.reason}`);
      for (const f of result.findings) {
        // A finding in a helper is reached from each file that uses it: count the source once.
        const key = `${f.fileName}:${f.range.start.line}:${f.range.start.character}:${f.rule}:${f.recommendation}`;
        found.set(key, f);
      }
    }
    const actual = [...found.values()].map((f) => ({
      location: `${toPosix(relative(EXAMPLES, f.fileName))}:${f.range.start.line + 1}`,
      rule: f.rule,
      recommendation: f.recommendation,
    }));
    assert.deepEqual(actual.map(describeRow).sort(), expected.map(describeRow).sort());
    for (const f of found.values()) {
      assert.ok(f.steps.length > 0, `${f.fileName}: a finding without steps`);
      const last = f.steps[f.steps.length - 1]!.location.fileName;
      assert.ok(texts.has(last), `${f.fileName}: the path ends outside examples/ (${last})`);
    }
  });
});
