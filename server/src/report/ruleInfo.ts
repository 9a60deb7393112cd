/**
 * What the server and the CLI say about each rule besides its findings: a one-line description
 * (SARIF `shortDescription`, CLI help) and the link to its documentation page, `docs/rules/<id>.md`
 * shipped beside `dist/`. The link is given only when the page really exists.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULE_IDS, RULES, type RuleId } from '../engine';
import { ruleDocPath } from '../protocol';
import { packageRoot } from './packageRoot';

/** One line per rule (SARIF `shortDescription`, CLI help): the engine's own rule metadata. */
export const RULE_DESCRIPTIONS = Object.fromEntries(RULES.map((r) => [r.meta.id, r.meta.title])) as Record<RuleId, string>;

const docUris = new Map<RuleId, string | null>();

/** A `file:` URI to the rule's page, or undefined when the docs are not installed beside the code. */
export function ruleDocUri(rule: RuleId): string | undefined {
  let uri = docUris.get(rule);
  if (uri === undefined) {
    const root = packageRoot();
    const path = root === undefined ? undefined : join(root, ruleDocPath(rule));
    uri = path !== undefined && existsSync(path) ? pathToFileURL(path).href : null;
    docUris.set(rule, uri);
  }
  return uri ?? undefined;
}

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}
