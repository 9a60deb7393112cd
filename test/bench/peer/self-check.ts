/**
 * Before timing the peer, prove its rule does the work it is credited with: it must flag the
 * copies below and stay quiet on the rest. Runs in the parent, untimed.
 */
import { Linter } from 'eslint';
import { PEER_RULE_ID, peerConfig } from './config';

interface Case {
  name: string;
  file: string;
  code: string;
  expected: number;
}

const CASES: Case[] = [
  { name: 'readFileSync to res.end', file: 'a.js', expected: 1, code: `const fs = require('fs');\nfunction h(req, res) { const b = fs.readFileSync('x'); res.end(b); }` },
  { name: 'readFile callback to res.write', file: 'b.cjs', expected: 1, code: `const { readFile } = require('node:fs');\nmodule.exports = (req, res) => readFile('x', (err, data) => { const d = data; res.write(d); });` },
  { name: 'createReadStream piped', file: 'c.mjs', expected: 1, code: `import * as fs from 'node:fs';\nexport const h = (req, res) => fs.createReadStream('x').pipe(res);` },
  { name: 'fs/promises await then send', file: 'd.ts', expected: 1, code: `import { readFile } from 'fs/promises';\nexport async function h(res: { send(b: unknown): void }) { const b = await readFile('x'); res.send(b); }` },
  { name: 'fs.promises .then', file: 'e.js', expected: 1, code: `const fs = require('fs');\nfs.promises.readFile('x').then((b) => sock.end(b));` },
  { name: 'a local readFile is not fs', file: 'f.js', expected: 0, code: `const vfs = { readFile() { return 'x'; } };\nres.end(vfs.readFile('x'));` },
  { name: 'a shadowed require is not Node', file: 'g.js', expected: 0, code: `function load(require) { const fs = require('fs'); res.end(fs.readFileSync('x')); }` },
  { name: 'read but never sent', file: 'h.js', expected: 0, code: `const fs = require('fs');\nconst cfg = JSON.parse(fs.readFileSync('c.json', 'utf8'));` },
];

export function selfCheckPeerRule(): { passed: number; failures: string[] } {
  const linter = new Linter({ configType: 'flat' });
  const failures: string[] = [];
  for (const c of CASES) {
    const messages = linter.verify(c.code, peerConfig(), { filename: c.file });
    const fatal = messages.find((m) => m.fatal);
    const found = messages.filter((m) => m.ruleId === PEER_RULE_ID).length;
    if (fatal) failures.push(`${c.name}: parse error: ${fatal.message}`);
    else if (found !== c.expected) failures.push(`${c.name}: expected ${c.expected} finding(s), got ${found}`);
  }
  return { passed: CASES.length - failures.length, failures };
}
