/**
 * The fix fixtures cover what the issue asks: every rewrite in every style it has (callback,
 * promise, async, sync; CommonJS, ESM, TypeScript), and its no-fix cases. And the tester can fail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIX_KINDS, type FixKind } from '../../server/src/fixes/index';
import { checkCase, code, type FixCase, type FixFixture, type Flow } from './fix-tester';

/** The code styles each rewrite is written in (copyFile has no `.then` form; framework is koa's async middleware). */
const FLOWS: Record<FixKind, readonly Flow[]> = {
  sendfile: ['callback', 'promise', 'async', 'sync'],
  stream: ['callback', 'promise', 'async', 'sync'],
  mmap: ['callback', 'promise', 'async', 'sync'],
  respondWithFile: ['callback', 'promise', 'async'],
  copyFile: ['callback', 'async', 'sync'],
  framework: ['async'],
};
const MODULE_STYLES = ['commonjs', 'esm', 'typescript'] as const;

function moduleStyle(c: FixCase): (typeof MODULE_STYLES)[number] {
  const file = c.fileName ?? 'server.js';
  if (/\.[cm]?tsx?$/.test(file)) return 'typescript';
  if (/\.mjs$/.test(file) || /^import\s/m.test(c.code)) return 'esm';
  return 'commonjs';
}

function load(kind: FixKind): FixFixture {
  return (require(`./fixtures/${kind}`) as { default: FixFixture }).default;
}

test('every rewrite has fixed cases in each of its styles, in CommonJS, ESM and TypeScript', () => {
  const missing: string[] = [];
  for (const kind of FIX_KINDS) {
    const fixed = load(kind).cases.filter((c) => c.output !== undefined);
    for (const flow of FLOWS[kind]) {
      for (const style of MODULE_STYLES) {
        if (!fixed.some((c) => c.flow === flow && moduleStyle(c) === style)) missing.push(`${kind}: ${flow} in ${style}`);
      }
    }
  }
  assert.deepEqual(missing, [], `fixture cases missing:\n${missing.join('\n')}`);
});

test('every rewrite has no-fix cases', () => {
  for (const kind of FIX_KINDS) {
    assert.ok(load(kind).cases.some((c) => c.noFix !== undefined), `${kind} has no no-fix case`);
  }
});

const CASE: FixCase = {
  name: 'tester self-check',
  flow: 'callback',
  rule: 'read-then-send',
  recommendation: 'sendfile',
  code: code`
    const http = require('http');
    const fs = require('fs');

    http.createServer((req, res) => {
      fs.readFile('./a.txt', (err, data) => {
        if (err) return res.end();
        res.end(data);
      });
    }).listen(8080);
  `,
};

test('the tester fails on a wrong output, a wrong reason, a missing finding', () => {
  assert.throws(() => checkCase('sendfile', { ...CASE, output: CASE.code }), /the fixed file differs/);
  assert.throws(() => checkCase('sendfile', { ...CASE, noFix: 'some other reason' }), /expected no sendfile fix/);
  assert.throws(() => checkCase('sendfile', { ...CASE, recommendation: 'mmap', output: CASE.code }), /expected exactly one read-then-send\/mmap finding/);
  // With the bytes changed on the way, the engine gives no finding: the case must say so.
  assert.throws(() => checkCase('sendfile', { ...CASE, code: CASE.code.replace('res.end(data)', "res.end(data.toString('base64'))"), output: CASE.code }), /expected exactly one read-then-send\/sendfile finding/);
});
