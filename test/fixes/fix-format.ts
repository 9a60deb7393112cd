/**
 * The shape of a fix fixture: tests as data. One module per rewrite kind under `fixtures/`, each
 * default-exporting a {@link FixFixture}. A case is a file (and its project), the finding the real
 * engine gives for it, and what this kind of rewrite makes of it: the fixed file, or the reason
 * there is no fix.
 */
import type { Recommendation, RuleId } from '../../server/src/engine/index';
import type { FixKind } from '../../server/src/fixes/index';

export { code } from '../engine/fixture-format';

/** How the code around the read is written: its control flow. */
export type Flow = 'async' | 'promise' | 'callback' | 'sync';

export interface FixCase {
  /** Unique within the fixture; says what the case is about. */
  name: string;
  flow: Flow;
  /** Relative to the project root `/project`. Default `server.js`. */
  fileName?: string;
  /** Other files of the project, relative to the case's directory. */
  files?: Record<string, string>;
  /** The project's package.json (at the project root). */
  packageJson?: string;
  code: string;
  /** The finding the fix is for: exactly one finding of the case file has this rule and recommendation. */
  rule: RuleId;
  recommendation: Recommendation;
  /** The case file after this kind's fix. */
  output?: string;
  /** package.json after this kind's fix (required when the fix edits it). */
  packageJsonOutput?: string;
  /** When this kind gives no fix: a part of its reason, verbatim. */
  noFix?: string;
}

export interface FixFixture {
  kind: FixKind;
  cases: FixCase[];
}
