import { RULE_IDS, type RuleId } from './types';

/**
 * Suppression comments: `// zerocopy-disable-next-line [rule…]` silences the next line;
 * `/* zerocopy-disable [rule…] *\/` anywhere silences the file. No rule named means every rule.
 */
export interface Suppressions {
  isSuppressed(rule: RuleId, line: number): boolean;
}

const NEXT_LINE = /\/\/[ \t]*zerocopy-disable-next-line\b([^\n]*)/g;
const FILE = /\/\*\s*zerocopy-disable\b([\s\S]*?)\*\//g;

function rulesIn(list: string): Set<RuleId> | 'all' {
  const ids = list.split(/[\s,]+/).filter((w): w is RuleId => (RULE_IDS as readonly string[]).includes(w));
  return ids.length === 0 ? 'all' : new Set(ids);
}

export function findSuppressions(text: string): Suppressions {
  if (!text.includes('zerocopy-disable')) return { isSuppressed: () => false };
  const lines = new Map<number, Set<RuleId> | 'all'>();
  let file: Set<RuleId> | 'all' | undefined;
  for (const m of text.matchAll(NEXT_LINE)) {
    const line = countLines(text, m.index ?? 0) + 1;
    lines.set(line, rulesIn(m[1] ?? ''));
  }
  for (const m of text.matchAll(FILE)) {
    const r = rulesIn(m[1] ?? '');
    file = file === 'all' || r === 'all' ? 'all' : new Set([...(file ?? []), ...r]);
  }
  const hit = (s: Set<RuleId> | 'all' | undefined, rule: RuleId) => s === 'all' || (s !== undefined && s.has(rule));
  return { isSuppressed: (rule, line) => hit(file, rule) || hit(lines.get(line), rule) };
}

function countLines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
