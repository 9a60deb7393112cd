/**
 * `zerocopy bench` arguments -> options, or a usage error.
 *
 *   zerocopy bench FILE:LINE[:COL] [--sizes 64K,1M,16M,256M] [--concurrency 1,16] [--json [FILE]]
 *                  [--time-budget SECONDS] [--time-limit SECONDS] [--progress text|json]
 *
 * `--json` takes an optional file: a following argument that is not the FILE:LINE target is it
 * (`-` is stdout).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CONCURRENCY, DEFAULT_SIZES, DEFAULT_TIME_BUDGET_SECONDS } from '../bench';
import { UsageError } from './errors';

export interface BenchOptions {
  file: string;
  line: number;
  column?: number;
  sizes: number[];
  concurrency: number[];
  /** undefined: no JSON; '-': JSON on stdout instead of the table; else the file to write it to. */
  json?: string;
  timeBudgetSeconds: number;
  /** Wall-clock seconds the whole command may take; points not begun by then are skipped. */
  timeLimitSeconds?: number;
  progress: 'text' | 'json';
  help: boolean;
}

const TARGET = /^(.+?):(\d+)(?::(\d+))?$/;

export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMG]i?B?|B)?$/i.exec(text.trim());
  if (!m) throw new UsageError(`bad size '${text}' (use bytes or 64K, 1M, 16M, 1G)`);
  const unit = (m[2] ?? '').toUpperCase()[0] ?? '';
  const value = Math.round(Number(m[1]) * ({ '': 1, B: 1, K: 1 << 10, M: 1 << 20, G: 1 << 30 } as Record<string, number>)[unit]!);
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`bad size '${text}'`);
  return value;
}

export function parseBenchArgs(args: readonly string[]): BenchOptions {
  // `--json` with or without a file: give parseArgs `--json=FILE` (or `--json=-`).
  const normalised: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') {
      const next = args[i + 1];
      if (next !== undefined && (next === '-' || (!next.startsWith('-') && !TARGET.test(next)))) {
        normalised.push(`--json=${next}`);
        i++;
      } else normalised.push('--json=-');
    } else normalised.push(a);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: normalised,
      allowPositionals: true,
      strict: true,
      options: {
        sizes: { type: 'string' },
        concurrency: { type: 'string' },
        json: { type: 'string' },
        'time-budget': { type: 'string' },
        'time-limit': { type: 'string' },
        progress: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { file: '', line: 0, sizes: [], concurrency: [], timeBudgetSeconds: 0, progress: 'text', help: true };
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'which transfer? Give FILE:LINE (as `zerocopy check` prints it)' : `one FILE:LINE only, not ${positionals.join(' ')}`);
  const target = TARGET.exec(positionals[0]!);
  if (!target) throw new UsageError(`'${positionals[0]}' is not FILE:LINE[:COL]`);
  const line = Number(target[2]);
  const column = target[3] === undefined ? undefined : Number(target[3]);
  if (line < 1 || (column !== undefined && column < 1)) throw new UsageError('LINE and COL start at 1');
  const sizes = values.sizes === undefined ? [...DEFAULT_SIZES] : values.sizes.split(',').map(parseSize);
  const concurrency = values.concurrency === undefined ? [...DEFAULT_CONCURRENCY] : values.concurrency.split(',').map((c) => {
    const n = Number(c.trim());
    if (!Number.isSafeInteger(n) || n < 1 || n > 1024) throw new UsageError(`bad concurrency '${c}' (1 to 1024)`);
    return n;
  });
  if (sizes.length === 0 || concurrency.length === 0) throw new UsageError('--sizes and --concurrency need at least one value');
  const budget = values['time-budget'] === undefined ? DEFAULT_TIME_BUDGET_SECONDS : Number(values['time-budget']);
  if (!Number.isFinite(budget) || budget <= 0) throw new UsageError(`--time-budget needs a positive number of seconds, not '${values['time-budget']}'`);
  const limit = values['time-limit'] === undefined ? undefined : Number(values['time-limit']);
  if (limit !== undefined && (!Number.isFinite(limit) || limit <= 0)) throw new UsageError(`--time-limit needs a positive number of seconds, not '${values['time-limit']}'`);
  const progress = values.progress ?? 'text';
  if (progress !== 'text' && progress !== 'json') throw new UsageError(`--progress is text or json, not '${progress}'`);
  if (values.json === '') throw new UsageError('--json needs a file name, - or nothing');
  return {
    file: target[1]!,
    line,
    ...(column !== undefined ? { column } : {}),
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    concurrency: [...new Set(concurrency)].sort((a, b) => a - b),
    ...(values.json !== undefined ? { json: values.json } : {}),
    timeBudgetSeconds: budget,
    ...(limit !== undefined ? { timeLimitSeconds: limit } : {}),
    progress,
    help: false,
  };
}
