/**
 * Seeded randomness for the fuzz runs: every case is drawn from (seed, case index), so a failure
 * names the two numbers that bring it back (`ZC_FUZZ_SEED=… ZC_FUZZ_CASE=…`). The seed is new for
 * each run unless ZC_FUZZ_SEED gives one: runs explore, failures reproduce.
 */
import { randomInt } from 'node:crypto';

export function fuzzSeed(): number {
  const given = process.env.ZC_FUZZ_SEED;
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`ZC_FUZZ_SEED must be a whole number, not '${given}'`);
    return seed;
  }
  return randomInt(2 ** 31);
}

/** Only this case, when ZC_FUZZ_CASE is set (to reproduce one failure). */
export function onlyCase(): number | undefined {
  const given = process.env.ZC_FUZZ_CASE;
  return given === undefined || given === '' ? undefined : Number(given);
}

/** A small fast generator (mulberry32) seeded per case, so cases do not depend on each other. */
export class Random {
  private state: number;

  constructor(seed: number, stream = 0) {
    this.state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35)) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [low, high]. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.int(0, 255);
    return out;
  }
}

/** Pieces of JavaScript the analysis looks for, so random text reaches past the parser. */
const TOKENS = [
  "const fs = require('fs');", "require('http')", 'import fs from "node:fs";', 'fs.readFile(', 'fs.readFileSync(', 'fs.createReadStream(',
  'fs.promises.readFile(', 'await ', 'async ', 'function ', '=>', '(', ')', '{', '}', '[', ']', ',', ';', '.', '\n', ' ', 'res', 'req',
  '.end(', '.write(', '.pipe(', 'pipeline(', 'ctx.body = ', 'return ', 'yield ', 'class ', 'this.', 'new ', 'exports.', 'module.exports = ',
  'x', 'data', 'buf', "'a.txt'", '`t${', '}`', '/*', '*/', '//', '"', "'", '`', '\\', 'if (', 'else ', 'for (', 'while (', 'of ', 'let ',
  'var ', 'http.createServer((req, res) => {', 'socket.write(', 'stream.respond(', 'Buffer.alloc(65536)', 'fh.read(', '#!', '<div>', '</div>',
  '\u2028', '\u0000', '\ud800', '𝒳', '\r', '...', '?.', '??', '=', '+', '0x10', '1e9', '/re+g/', 'import(', 'export default ', 'declare ',
  ': string', 'as any', '<T>', 'enum ', 'interface ', '@dec', 'satisfies ',
];

/** Random text: bytes read as UTF-8 or Latin-1, or a soup of JavaScript tokens. */
export function randomText(r: Random, maxLength: number): string {
  const kind = r.int(0, 2);
  if (kind === 0) return r.bytes(r.int(0, maxLength)).toString(r.chance(0.5) ? 'utf8' : 'latin1');
  let text = '';
  const target = r.int(0, maxLength);
  while (text.length < target) text += kind === 1 ? r.pick(TOKENS) : r.chance(0.8) ? r.pick(TOKENS) : r.bytes(r.int(1, 8)).toString('latin1');
  return text;
}

/** A random edit of `text`: insert, delete or replace a span, with tokens or random characters. */
export function randomEdit(r: Random, text: string): { start: number; end: number; insert: string } {
  const start = r.int(0, text.length);
  const end = r.chance(0.5) ? start : Math.min(text.length, start + r.int(0, 40));
  const insert = r.chance(0.3) ? '' : randomText(r, 30);
  return { start, end, insert };
}

export function applyEdit(text: string, edit: { start: number; end: number; insert: string }): string {
  return text.slice(0, edit.start) + edit.insert + text.slice(edit.end);
}
