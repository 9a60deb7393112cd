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

/** One rewrite kind tried for a finding: its fix, or why there is none. */
export interface RewriteOutcome {
  kind: FixKind;
  preferred: boolean;
  fix?: Fix;
  reason?: string;
}

/** Every kind offered for the finding (preferred first), each with its fix or its reason. */
export function rewritesFor(input: FixInput): RewriteOutcome[] {
  const preferred = PREFERRED[input.finding.recommendation];
  const kinds = OFFERED[input.finding.recommendation];
  let ctx;
  try {
    ctx = createContext(input);
  } catch (error) {
    if (error instanceof NoFix) return kinds.map((kind) => ({ kind, preferred: kind === preferred, reason: error.reason }));
    throw error;
  }
  return kinds.map((kind): RewriteOutcome => {
    try {
      return { kind, preferred: kind === preferred, fix: toFix(ctx, DEFINITIONS[kind](ctx), kind === preferred) };
    } catch (error) {
      if (!(error instanceof NoFix)) throw error;
      return { kind, preferred: kind === preferred, reason: error.reason };
    }
  });
}

/**
 * The fixes for a finding: the preferred one (the rewrite its recommendation names) first, then
 * the correct alternatives. `noFix` says why the preferred rewrite does not apply (always set when
 * `fixes` is empty).
 */
export function fixesFor(input: FixInput): FixResult {
  const outcomes = rewritesFor(input);
  const fixes = outcomes.flatMap((o) => (o.fix ? [o.fix] : []));
  const result: FixResult = { fixes };
  const preferred = outcomes.find((o) => o.preferred);
  if (!preferred?.fix) result.noFix = preferred?.reason ?? outcomes.find((o) => o.reason)?.reason ?? 'no rewrite applies';
  return result;
}
