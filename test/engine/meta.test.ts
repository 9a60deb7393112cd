/**
 * Keeps the places that list the rules in step: RULE_IDS (the engine), docs/rules/<id>.md and its
 * index, test/engine/fixtures/<id>.ts, and the per-rule severity settings the VS Code extension
 * contributes in package.json. Adding a rule without its docs, fixtures or setting fails here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { RECOMMENDATIONS, RULE_IDS, type Recommendation, type RuleId } from '../../server/src/engine/index';
import { ruleDocPath } from '../../server/src/protocol/index';
import type { RuleFixture } from './fixture-format';
import { tableRows } from './markdown';
import { repoPath } from './repo';

const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

/** What RULES.md says each rule can recommend; each must be exercised by the rule's fixtures. */
const RECOMMENDATIONS_OF: Record<RuleId, Recommendation[]> = {
  'read-then-send': ['sendfile', 'stream', 'respondWithFile'],
  'stream-to-socket': ['sendfile', 'respondWithFile'],
  'read-loop-to-socket': ['sendfile'],
  'inspect-then-send': ['mmap'],
  'file-to-file': ['copyFile'],
};

/**
 * The rule ids that have a severity setting, whichever shape package.json uses: one property per
 * rule (`zerocopy.severity.<id>`) or one object property (`zerocopy.severity`) with a key per rule.
 */
function rulesWithSeverity(pkg: { contributes?: { configuration?: unknown } }): string[] {
  const configuration = pkg.contributes?.configuration;
  const sections = (Array.isArray(configuration) ? configuration : configuration ? [configuration] : []) as Array<{
    properties?: Record<string, { properties?: Record<string, unknown> }>;
  }>;
  const ids = new Set<string>();
  for (const section of sections) {
    for (const [key, schema] of Object.entries(section.properties ?? {})) {
      if (key.startsWith('zerocopy.severity.')) ids.add(key.slice('zerocopy.severity.'.length));
      if (key === 'zerocopy.severity') for (const id of Object.keys(schema.properties ?? {})) ids.add(id);
    }
  }
  return sorted(ids);
}

describe('rules are in step', () => {
  it('docs/rules has one page per rule (plus README.md)', () => {
    const pages = readdirSync(repoPath('docs/rules')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    assert.deepEqual(sorted(pages), sorted(RULE_IDS.map((id) => `${id}.md`)));
  });

  it('the protocol points each rule at its page, and the page exists', () => {
    for (const id of RULE_IDS) assert.ok(existsSync(repoPath(ruleDocPath(id))), `${ruleDocPath(id)} is missing`);
  });

  it('each page is titled with its rule id', () => {
    for (const id of RULE_IDS) {
      const first = readFileSync(repoPath('docs/rules', `${id}.md`), 'utf8').split('\n')[0];
      assert.equal(first, `# \`${id}\``);
    }
  });

  it('test/engine/fixtures has one fixture module per rule, each for the rule it is named after', () => {
    const files = readdirSync(repoPath('test/engine/fixtures')).filter((f) => f.endsWith('.ts'));
    assert.deepEqual(sorted(files), sorted(RULE_IDS.map((id) => `${id}.ts`)));
    for (const id of RULE_IDS) {
      const fixture = (require(`./fixtures/${id}`) as { default: RuleFixture }).default;
      assert.equal(fixture.rule, id, `fixtures/${id}.ts is for ${fixture.rule}`);
    }
  });

  it("each rule's fixtures exercise every recommendation the rule can make", () => {
    for (const id of RULE_IDS) {
      const fixture = (require(`./fixtures/${id}`) as { default: RuleFixture }).default;
      const made = new Set(fixture.invalid.flatMap((c) => c.findings.filter((f) => (f.rule ?? id) === id).map((f) => f.recommendation)));
      for (const rec of RECOMMENDATIONS_OF[id]) assert.ok(made.has(rec), `no ${id} case expects ${rec}`);
    }
  });

  it('package.json contributes one severity setting per rule', () => {
    const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8'));
    assert.deepEqual(rulesWithSeverity(pkg), sorted(RULE_IDS));
  });

  it('docs/rules/README.md indexes every rule page, and only those', () => {
    const index = readFileSync(repoPath('docs/rules/README.md'), 'utf8');
    const linked = [...index.matchAll(/\]\(\.?\/?([\w-]+)\.md\)/g)].map((m) => m[1]!);
    assert.deepEqual(sorted(new Set(linked)), sorted(RULE_IDS));
    const indexed = tableRows(index).map((cells) => /^\[`([\w-]+)`\]/.exec(cells[0] ?? '')?.[1]).filter((x) => x !== undefined);
    assert.deepEqual(sorted(indexed), sorted(RULE_IDS), 'the index table has one row per rule');
  });

  it('docs/rules/README.md explains every recommendation', () => {
    const index = readFileSync(repoPath('docs/rules/README.md'), 'utf8');
    const explained = tableRows(index).map((cells) => /^`(\w+)`$/.exec(cells[0] ?? '')?.[1]).filter((x) => x !== undefined);
    assert.deepEqual(sorted(explained), sorted(RECOMMENDATIONS));
  });
});
