/**
 * The fix engine: (file, text, finding) -> the rewrites that turn the finding into zero-copy code,
 * or "no fix, because …". Pure, like the engine it builds on: no fs, no LSP, no addon. The LSP's
 * code actions, `zerocopy check --fix` and the tests all call `fixesFor`.
 *
 * A fix is offered only when the rewritten code answers every request as the original did (the
 * differences it may make are listed in docs/rules/*.md); when that cannot be proven from the code
 * in view, there is no fix, and the reason says what stands in the way.
 */
import type { FixInput, FixResult, Fix, FixKind } from './types';
import { createContext } from './context';
import { NoFix } from './refuse';
import { toFix } from './rewrite';
import { DEFINITIONS, OFFERED, PREFERRED } from './registry';

export * from './types';
export { applyEdits } from './edits';

export function fixesFor(input: FixInput): FixResult {
  let ctx;
  try {
    ctx = createContext(input);
  } catch (error) {
    if (error instanceof NoFix) return { fixes: [], noFix: error.reason };
    throw error;
  }
  const preferred = PREFERRED[input.finding.recommendation];
  const fixes: Fix[] = [];
  const reasons = new Map<FixKind, string>();
  for (const kind of OFFERED[input.finding.recommendation]) {
    try {
      fixes.push(toFix(ctx, DEFINITIONS[kind](ctx), kind === preferred));
    } catch (error) {
      if (!(error instanceof NoFix)) throw error;
      reasons.set(kind, error.reason);
    }
  }
  const result: FixResult = { fixes };
  if (!fixes.some((f) => f.preferred)) result.noFix = reasons.get(preferred) ?? [...reasons.values()][0] ?? 'no rewrite applies';
  return result;
}
