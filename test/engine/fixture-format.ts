/**
 * The shape of a rule fixture: tests as data. One module per rule under `fixtures/`, each
 * default-exporting a {@link RuleFixture}. Kept apart from the runner so a fixture module loads
 * nothing but this file (and the engine's types).
 *
 * Positions are ESLint-style: 1-based line and column, the column in UTF-16 code units, the end
 * exclusive. The range of a finding is the source call's callee (`fs.readFile` in
 * `fs.readFile(p, cb)`, `fh.read` in `fh.read(buf, 0, n, pos)`).
 */
import type { Recommendation, RuleId } from '../../server/src/engine/index';

export interface ExpectedFinding {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Default: the fixture's rule. */
  rule?: RuleId;
  recommendation: Recommendation;
  /** The file holding the source call, relative to the case's directory. Default: the case's file. */
  file?: string;
}

export interface ValidCase {
  /** Unique within the fixture; says what the case is about. */
  name: string;
  code: string;
  /** Relative to the project root `/project`. Default `server.js`. */
  fileName?: string;
  /** Other files of the project, keyed by paths relative to the case's directory. */
  files?: Record<string, string>;
}

export interface InvalidCase extends ValidCase {
  /** Every finding of every rule the analysis must give for `fileName`, and no other. */
  findings: ExpectedFinding[];
}

export interface RuleFixture {
  rule: RuleId;
  valid: ValidCase[];
  invalid: InvalidCase[];
}

/**
 * Tag for the code of a case: returns the template's raw text, dedented, without the blank first
 * and last lines, ending in one newline. Raw, so backslashes in the code need no doubling (only
 * `` \` `` and `\${` are unescaped). Interpolation is refused: a case is literal data, so the
 * positions written next to it can be checked by eye.
 */
export function code(strings: TemplateStringsArray, ...values: never[]): string {
  if (values.length > 0 || strings.raw.length !== 1) {
    throw new Error('code`…` takes no ${} interpolation: write the code out literally');
  }
  const text = strings.raw[0]!.replace(/\\`/g, '`').replace(/\\\$\{/g, '${');
  const lines = text.split('\n');
  if (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  if (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const indent = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => (l.trim() === '' ? '' : l.slice(indent))).join('\n') + '\n';
}
