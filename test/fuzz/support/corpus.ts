/** Real code to cut up: every fixture case of the rule tests and the example server's sources. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleFixture } from '../../engine/fixture-format';
import { RULE_IDS } from '../../../server/src/engine';
import { REPO_ROOT } from '../../e2e/support/paths';

export function realSources(): string[] {
  const out: string[] = [];
  for (const rule of RULE_IDS) {
    const fixture = (require(`../../engine/fixtures/${rule}`) as { default: RuleFixture }).default;
    for (const c of [...fixture.valid, ...fixture.invalid]) out.push(c.code);
  }
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(path);
      else if (/\.[cm]?[jt]sx?$/.test(entry.name)) out.push(readFileSync(path, 'utf8'));
    }
  };
  walk(join(REPO_ROOT, 'examples'));
  return out;
}
