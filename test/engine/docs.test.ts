/**
 * Every example in docs/rules/<id>.md tagged `zerocopy-invalid` must give at least one finding of
 * that page's rule (and, with `recommendation=X`, one with that recommendation); every example
 * tagged `zerocopy-valid` must give no finding at all. So the docs cannot promise what the engine
 * does not do.
 *
 * The fixes shown are tested the same way: a block tagged `zerocopy-fixed kind=K` is exactly what
 * the fix of kind K makes of the `zerocopy-invalid` block before it (and parses); a block tagged
 * `zerocopy-nofix` gives a finding of the page's rule whose preferred fix is refused, with the
 * reason its first line names (`// no fix: <part of the reason>`).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeFile, Project, RECOMMENDATIONS, RULE_IDS, type Finding, type RuleId } from '../../server/src/engine/index';
import { applyEdits, FIX_KINDS, fixesFor, rewritesFor } from '../../server/src/fixes/index';
import { fencedBlocks, type FencedBlock } from './markdown';
import { repoPath } from './repo';
import { syntaxErrors } from './syntax';

const EXTENSION_OF_LANG: Record<string, string> = {
  js: '.js', javascript: '.js', jsx: '.jsx', mjs: '.mjs', cjs: '.cjs',
  ts: '.ts', typescript: '.ts', tsx: '.tsx', mts: '.mts', cts: '.cts',
};
const EXPECTATIONS = ['zerocopy-valid', 'zerocopy-invalid', 'zerocopy-fixed', 'zerocopy-nofix'] as const;

interface DocExample {
  block: FencedBlock;
  expect: (typeof EXPECTATIONS)[number];
  recommendation?: string;
  fileName: string;
  /** zerocopy-fixed: the fix kind, and the invalid example it is the fix of. */
  kind?: string;
  of?: DocExample;
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
    const example: DocExample = { block, expect, recommendation: rec, fileName: `/docs-example/example-${block.line}${ext}` };
    if (expect === 'zerocopy-fixed') {
      example.kind = block.attributes.find((a) => a.startsWith('kind='))?.slice('kind='.length);
      if (!example.kind || !(FIX_KINDS as readonly string[]).includes(example.kind)) problems.push(`${where}: a fixed example needs kind=<${FIX_KINDS.join('|')}>`);
      example.of = [...examples].reverse().find((e) => e.expect === 'zerocopy-invalid');
      if (!example.of) problems.push(`${where}: a fixed example must follow the zerocopy-invalid example it fixes`);
      else if (ext !== EXTENSION_OF_LANG[example.of.block.lang]) problems.push(`${where}: a fixed example must be in the language of the example it fixes`);
    }
    if (expect === 'zerocopy-nofix' && !/^\/\/ no fix: \S/.test(block.code)) problems.push(`${where}: a no-fix example starts with \`// no fix: <part of the reason>\``);
    examples.push(example);
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

function fixInput(example: DocExample, finding: Finding) {
  return { fileName: example.fileName, text: example.block.code, finding, getText: () => undefined, zerocopyVersion: '0.1.0' };
}

function checkFixed(rule: RuleId, example: DocExample): void {
  const of = example.of!;
  const ofRule = analyse(of).filter((f) => f.rule === rule);
  assert.equal(ofRule.length, 1, `the example fixed (line ${of.block.line}) should give one ${rule} finding, got ${show(ofRule)}`);
  const outcome = rewritesFor(fixInput(of, ofRule[0]!)).find((o) => o.kind === example.kind);
  assert.ok(outcome?.fix, `no ${example.kind} fix for the example at line ${of.block.line}: ${outcome?.reason ?? 'not offered'}`);
  const output = applyEdits(of.block.code, outcome.fix.edits.filter((e) => e.fileName === of.fileName));
  assert.equal(output, example.block.code, `the ${example.kind} fix of the example at line ${of.block.line} differs from the page`);
  assert.deepEqual(syntaxErrors(example.fileName, output), []);
}

function checkNoFix(rule: RuleId, example: DocExample): void {
  const reason = /^\/\/ no fix: (.*)$/m.exec(example.block.code)![1]!.trim();
  const ofRule = analyse(example).filter((f) => f.rule === rule);
  assert.equal(ofRule.length, 1, `a no-fix example should give one ${rule} finding, got ${show(ofRule)}`);
  const result = fixesFor(fixInput(example, ofRule[0]!));
  assert.ok(!result.fixes.some((f) => f.preferred), 'a no-fix example got a preferred fix');
  assert.ok(result.noFix?.includes(reason), `the reason differs.\n  expected to contain: ${reason}\n  actual: ${result.noFix}`);
}

function checkExample(rule: RuleId, example: DocExample): void {
  if (example.expect === 'zerocopy-fixed') return checkFixed(rule, example);
  if (example.expect === 'zerocopy-nofix') return checkNoFix(rule, example);
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
      const label =
        example.expect === 'zerocopy-invalid' ? `invalid${example.recommendation ? ` (${example.recommendation})` : ''}`
        : example.expect === 'zerocopy-fixed' ? `the ${example.kind} fix of line ${example.of?.block.line}`
        : example.expect === 'zerocopy-nofix' ? 'given no fix, with its reason'
        : 'valid';
      it(`example at line ${example.block.line} is ${label}`, () => checkExample(rule, example));
    }
  });
}
