/**
 * Adding a dependency to package.json as a person would: one inserted line, in the file's own
 * indentation, in alphabetical place when the keys are sorted (npm keeps them so), the rest of the
 * file (key order, trailing newline, formatting) untouched.
 */
import type { FileEdit } from './types';
import { lineStarts, rangeAt } from './edits';
import { refuse } from './refuse';

interface JsonMember {
  key: string;
  keyStart: number;
  value: JsonValue;
}
type JsonValue =
  | { type: 'object'; start: number; end: number; members: JsonMember[] }
  | { type: 'other'; start: number; end: number };

/** A JSON parser that keeps where each member is. Throws SyntaxError on bad JSON. */
function parseJson(text: string): JsonValue {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n\uFEFF'.includes(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${i}`);
  };
  const string = (): string => {
    const start = i;
    if (text[i] !== '"') fail('expected a string');
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): JsonValue => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const members: JsonMember[] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { type: 'object', start, end: i, members };
      }
      for (;;) {
        ws();
        const keyStart = i;
        const key = string();
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        members.push({ key, keyStart, value: value() });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { type: 'object', start, end: i, members };
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return { type: 'other', start, end: i };
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { type: 'other', start, end: i };
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') {
      string();
      return { type: 'other', start, end: i };
    }
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!m) fail('unexpected character');
    i += m![0].length;
    return { type: 'other', start, end: i };
  };
  const root = value();
  ws();
  if (i < text.length) fail('unexpected text after the JSON value');
  return root;
}

function lineIndent(text: string, pos: number): string {
  let s = pos;
  while (s > 0 && text[s - 1] !== '\n') s--;
  return /^[ \t]*/.exec(text.slice(s))![0];
}

const SECTIONS_THAT_INSTALL = ['dependencies', 'optionalDependencies', 'peerDependencies'];

/**
 * The edit that adds `name@version` to `dependencies`, or undefined when the package already
 * depends on it. Refuses (no fix) when package.json is not valid JSON: a fix must not break it.
 */
export function dependencyEdit(pkg: { fileName: string; text: string }, name: string, version: string): FileEdit | undefined {
  const text = pkg.text;
  let root: JsonValue;
  try {
    root = parseJson(text);
  } catch (error) {
    refuse(`${pkg.fileName} is not valid JSON (${(error as Error).message}), so the \`${name}\` dependency cannot be added to it`);
  }
  if (root.type !== 'object') refuse(`${pkg.fileName} is not a JSON object, so the \`${name}\` dependency cannot be added to it`);
  for (const section of SECTIONS_THAT_INSTALL) {
    const s = root.members.find((m) => m.key === section);
    if (s?.value.type === 'object' && s.value.members.some((m) => m.key === name)) return undefined;
  }
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const entry = `${JSON.stringify(name)}: ${JSON.stringify(version)}`;
  const starts = lineStarts(text);
  const edit = (start: number, end: number, newText: string): FileEdit => ({ fileName: pkg.fileName, range: rangeAt(starts, start, end), newText });
  const topIndent = root.members[0] ? lineIndent(text, root.members[0].keyStart) : '  ';
  const deps = root.members.find((m) => m.key === 'dependencies');
  if (deps && deps.value.type !== 'object') refuse(`"dependencies" in ${pkg.fileName} is not an object`);
  if (deps && deps.value.type === 'object') {
    const members = deps.value.members;
    if (members.length === 0) {
      const outer = lineIndent(text, deps.keyStart);
      return edit(deps.value.start, deps.value.end, `{${nl}${outer}${topIndent}${entry}${nl}${outer}}`);
    }
    const indent = lineIndent(text, members[0]!.keyStart);
    const oneLine = !text.slice(deps.value.start, deps.value.end).includes('\n');
    const sorted = members.every((m, k) => k === 0 || members[k - 1]!.key.localeCompare(m.key) <= 0);
    const next = sorted ? members.find((m) => m.key.localeCompare(name) > 0) : undefined;
    if (next) return edit(next.keyStart, next.keyStart, oneLine ? `${entry}, ` : `${entry},${nl}${indent}`);
    const last = members[members.length - 1]!;
    return edit(last.value.end, last.value.end, oneLine ? `, ${entry}` : `,${nl}${indent}${entry}`);
  }
  // No "dependencies" yet: a new section after the last member.
  const last = root.members[root.members.length - 1];
  const block = `"dependencies": {${nl}${topIndent}${topIndent}${entry}${nl}${topIndent}}`;
  if (!last) return edit(root.start, root.end, `{${nl}${topIndent}${block}${nl}}`);
  return edit(last.value.end, last.value.end, `,${nl}${topIndent}${block}`);
}
