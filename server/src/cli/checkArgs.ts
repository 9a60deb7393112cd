/**
 * `zerocopy check` arguments -> options, or a usage error. Parsing is Node's own `parseArgs`
 * (strict: an unknown option is an error, not silently ignored).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_FILE_SIZE, type RuleId } from '../engine';
import { isRuleId } from '../report/ruleInfo';
import { UsageError } from './errors';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface CheckOptions {
  paths: string[];
  format: Format;
  output?: string;
  /** Undefined: every rule. */
  rules?: RuleId[];
  maxFileSize: number;
  /** Apply the preferred fix of every finding (`--fix`), or only show them as a diff (`--fix-dry-run`). */
  fix: 'apply' | 'dry-run' | undefined;
  help: boolean;
}

export function parseCheckArgs(args: readonly string[]): CheckOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        rule: { type: 'string', short: 'r', multiple: true },
        'max-file-size': { type: 'string' },
        fix: { type: 'boolean' },
        'fix-dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const format = values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unknown format '${format}' (expected ${FORMATS.join(', ')})`);
  }
  let rules: RuleId[] | undefined;
  if (values.rule) {
    rules = [];
    for (const id of values.rule.flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean)) {
      if (!isRuleId(id)) throw new UsageError(`unknown rule '${id}'`);
      if (!rules.includes(id)) rules.push(id);
    }
  }
  let maxFileSize = DEFAULT_MAX_FILE_SIZE;
  if (values['max-file-size'] !== undefined) {
    maxFileSize = Number(values['max-file-size']);
    if (!Number.isSafeInteger(maxFileSize) || maxFileSize <= 0) {
      throw new UsageError(`--max-file-size needs a positive whole number of bytes, not '${values['max-file-size']}'`);
    }
  }
  if (values.output === '') throw new UsageError('--output needs a file name');
  if (values.fix && values['fix-dry-run']) throw new UsageError('--fix and --fix-dry-run exclude each other');
  return {
    paths: positionals.length > 0 ? positionals : ['.'],
    format: format as Format,
    ...(values.output !== undefined ? { output: values.output } : {}),
    ...(rules ? { rules } : {}),
    maxFileSize,
    fix: values.fix ? 'apply' : values['fix-dry-run'] ? 'dry-run' : undefined,
    help: values.help ?? false,
  };
}
