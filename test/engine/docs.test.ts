/**
 * Every example in docs/rules/<id>.md tagged `zerocopy-invalid` must give at least one finding of
 * that page's rule (and, with `recommendation=X`, one with that recommendation); every example
 * tagged `zerocopy-valid` must give no finding at all. So the docs cannot promise what the engine
 * does not do.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeFile, Project, RECOMMENDATIONS, RULE_IDS, type Finding, type RuleId } from '../../server/src/engine/index';
import { fencedBlocks, type FencedBlock } from './markdown';
import { repoPath } from './repo';
import { syntaxErrors } from './syntax';

const EXTENSION_OF_LANG: Record<string, string> = {
  js: '.js', javascript: '.js', jsx: '.jsx', mjs: '.mjs', cjs: '.cjs',
  ts: '.ts', typescript: '.ts', tsx: '.tsx', mts: '.mts', cts: '.cts',
};
const EXPECTATIONS = ['zerocopy-valid', 'zerocopy-invalid'] as const;

interface DocExample {
  block: FencedBlock;
  expect: (typeof EXPECTATIONS)[number];
  recommendation?: string;
  fileName: string;
}

/** The tagged examples of a page; a malformed tag is an error, not a silently skipped block. */
function docExamples(markdown: string): { examples: DocExample[]; problems: string[] } {
  const examples: DocExample[] = [];
  const problems: string[] = [];
  for (const block of fencedBlocks(markdown)) {
    const tags = block.attributes.filter((a) => a.startsWith('zerocopy-'));
    if (tags.length === 0) continue;
    const where = `block at line ${block.line}`;
    const expect = tags.find((t): t is DocExample['expect'] => (EXPECTATIONS as readonly string[]).includes(t));
    if (!expect || tags.length > 1) {
      problems.push(`${where}: tag it with exactly one of ${EXPECTATIONS.join(', ')} (found ${tags.join(' ')})`);
      continue;
    }
    const ext = EXTENSION_OF_LANG[block.lang];
    if (!ext) {
      problems.push(`${where}: language "${block.lang}" is not one the engine analyses`);
      continue;
    }
    const rec = block.attributes.find((a) => a.startsWith('recommendation='))?.slice('recommendation='.length);
    if (rec !== undefined && !(RECOMMENDATIONS as readonly string[]).includes(rec)) problems.push(`${where}: unknown recommendation ${rec}`);
    if (rec !== undefined && expect === 'zerocopy-valid') problems.push(`${where}: a valid example cannot name a recommendation`);
    examples.push({ block, expect, recommendation: rec, fileName: `/docs-example/example-${block.line}${ext}` });
  }
  return { examples, problems };
}

function analyse(example: DocExample): Finding[] {
  const project = new Project({ getText: (f) => (f === example.fileName ? example.block.code : undefined), list: () => [example.fileName] });
  const result = analyzeFile(example.fileName, example.block.code, { project });
  assert.equal(result.skipped, undefined, `skipped: ${result.skipped?.reason}`);
  return result.findings;
}

const show = (findings: Finding[]): string =>
  findings.map((f) => `${f.rule}/${f.recommendation} at ${f.range.start.line + 1}:${f.range.start.character + 1}`).join(', ') || 'none';

function checkExample(rule: RuleId, example: DocExample): void {
  const findings = analyse(example);
  if (example.expect === 'zerocopy-valid') {
    assert.equal(findings.length, 0, `a valid example gave findings: ${show(findings)}\n${example.block.code}`);
    return;
  }
  const ofRule = findings.filter((f) => f.rule === rule);
  assert.ok(ofRule.length > 0, `an invalid example gave no ${rule} finding (got ${show(findings)})\n${example.block.code}`);
  if (example.recommendation) {
    assert.ok(
      ofRule.some((f) => f.recommendation === example.recommendation),
      `expected a ${rule} finding recommending ${example.recommendation}, got ${show(ofRule)}\n${example.block.code}`,
    );
  }
}

for (const rule of RULE_IDS) {
  const page = `docs/rules/${rule}.md`;
  describe(page, () => {
    let markdown: string;
    try {
      markdown = readFileSync(repoPath(page), 'utf8');
    } catch {
      it('exists', () => assert.fail(`${page} is missing`));
      return;
    }
    const { examples, problems } = docExamples(markdown);
    it('tags its examples correctly', () => assert.deepEqual(problems, []));
    it('has at least one invalid and one valid example', () => {
      assert.ok(examples.some((e) => e.expect === 'zerocopy-invalid'), 'no zerocopy-invalid example');
      assert.ok(examples.some((e) => e.expect === 'zerocopy-valid'), 'no zerocopy-valid example');
    });
    it('its examples parse', () => {
      const errors = examples.flatMap((e) => syntaxErrors(e.fileName, e.block.code).map((m) => `line ${e.block.line}: ${m}`));
      assert.deepEqual(errors, []);
    });
    for (const example of examples) {
      const label = example.expect === 'zerocopy-invalid' ? `invalid${example.recommendation ? ` (${example.recommendation})` : ''}` : 'valid';
      it(`example at line ${example.block.line} is ${label}`, () => checkExample(rule, example));
    }
  });
}
