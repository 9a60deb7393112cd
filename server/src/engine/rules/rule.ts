import type { Flow } from '../flows';
import type { Source } from '../values';
import type { Recommendation, RuleId, Transport } from '../types';

/** What the analysis learnt about one source call: where its bytes go, and whether code reads them. */
export interface Verdict {
  source: Source;
  /** The path to a byte-stream network sink, with what could be proven about its transport. */
  network?: { flow: Flow; transport: Transport };
  /** The path to another file. */
  file?: { flow: Flow };
  /** Whether code reads the payload (hash, search, sniffing) besides forwarding it. */
  inspected: boolean;
}

export interface RuleMeta {
  id: RuleId;
  /** One line, for rule lists (SARIF shortDescription, docs index). */
  title: string;
  recommendations: readonly Recommendation[];
}

export interface RuleMatch {
  recommendation: Recommendation;
  flow: Flow;
  message: string;
}

/** One rule: declarative metadata and a check over a verdict. */
export interface Rule {
  meta: RuleMeta;
  check(v: Verdict): RuleMatch | undefined;
}

export function calleeText(source: Source): string {
  const t = source.callee.getText(source.sf);
  return t.length > 40 ? t.slice(0, 37) + '…' : t;
}
