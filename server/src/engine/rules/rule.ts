import { codeSpan } from '../codeSpan';
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

/** The source call's callee, quoted as code for a message. */
export function calleeText(source: Source): string {
  return codeSpan(source.callee.getText(source.sf));
}
