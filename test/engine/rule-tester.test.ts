/**
 * The rule tester checked on itself: a tester that cannot fail proves nothing. These run against
 * the real engine where they need findings.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkCase, code, fixtureProblems, layOutCase, type RuleFixture, type ValidCase } from './rule-tester';
import { syntaxErrors } from './syntax';

const PIPE_TO_RES = code`
  const http = require('http');
  const fs = require('fs');

  http.createServer((req, res) => {
    fs.createReadStream('./big.bin').pipe(res);
  }).listen(8080);
`;

function fixtureWith(cases: Partial<RuleFixture>): RuleFixture {
  const filler = (i: number): ValidCase => ({ name: `filler ${i}`, code: `// ${i}\n` });
  return {
    rule: 'stream-to-socket',
    valid: Array.from({ length: 25 }, (_, i) => filler(i)),
    invalid: Array.from({ length: 25 }, (_, i) => ({ ...filler(100 + i), code: PIPE_TO_RES + `// ${i}\n`, findings: [{ line: 5, column: 3, endLine: 5, endColumn: 22, recommendation: 'sendfile' as const }] })),
    ...cases,
  };
}

describe('code`…`', () => {
  it('dedents, drops the blank first and last lines, and ends with one newline', () => {
    assert.equal(code`
        a(1);
          b(\`\${2}\`);
      `, 'a(1);\n  b(`${2}`);\n');
  });
  it('keeps backslashes as written (raw)', () => {
    assert.equal(code`
      /\d+/.test('\n');
    `, "/\\d+/.test('\\n');\n");
  });
  it('refuses interpolation', () => {
    const strings = Object.assign(['a', 'b'], { raw: ['a', 'b'] }) as unknown as TemplateStringsArray;
    assert.throws(() => (code as (s: TemplateStringsArray, ...v: unknown[]) => string)(strings, 1), /interpolation/);
  });
});

describe('layOutCase', () => {
  it('puts the case under /project and resolves files relative to its directory', () => {
    const project = layOutCase({ name: 'x', fileName: 'src/server.ts', code: 'a\n', files: { '../lib/a.ts': 'b\n', 'b.ts': 'c\n' } });
    assert.equal(project.fileName, '/project/src/server.ts');
    assert.deepEqual([...project.texts.keys()].sort(), ['/project/lib/a.ts', '/project/src/b.ts', '/project/src/server.ts']);
    assert.equal(project.relative('/project/lib/a.ts'), '../lib/a.ts');
  });
  it("defaults the file name to server.js", () => {
    assert.equal(layOutCase({ name: 'x', code: '' }).fileName, '/project/server.js');
  });
});

describe('fixtureProblems', () => {
  it('accepts a well-formed fixture', () => {
    assert.deepEqual(fixtureProblems(fixtureWith({})), []);
  });
  it('flags a range that is not a callee followed by its call', () => {
    const shifted = fixtureWith({});
    shifted.invalid[0] = { ...shifted.invalid[0]!, findings: [{ line: 5, column: 4, endLine: 5, endColumn: 22, recommendation: 'sendfile' }] };
    assert.match(fixtureProblems(shifted).join('\n'), /is not a callee followed by its call/);
  });
  it('flags too few cases, duplicate names and duplicate code', () => {
    const f = fixtureWith({});
    f.valid = f.valid.slice(0, 3);
    f.valid.push({ name: 'filler 0', code: '// 1\n' });
    const problems = fixtureProblems(f).join('\n');
    assert.match(problems, /only 4 valid cases/);
    assert.match(problems, /duplicate case name "filler 0"/);
    assert.match(problems, /has the same code as/);
  });
  it('flags an absolute file path and an unknown recommendation', () => {
    const f = fixtureWith({});
    f.valid[0] = { name: 'abs', code: '', files: { '/etc/passwd': '' } };
    f.invalid[0] = { ...f.invalid[0]!, findings: [{ line: 5, column: 3, endLine: 5, endColumn: 22, recommendation: 'zerocopy' as never }] };
    const problems = fixtureProblems(f).join('\n');
    assert.match(problems, /must be relative/);
    assert.match(problems, /unknown recommendation zerocopy/);
  });
});

describe('syntaxErrors', () => {
  it('reports a parse error', () => assert.notDeepEqual(syntaxErrors('/p/a.js', 'const = 1;\n'), []));
  it('reports TypeScript syntax in a .js file', () => assert.notDeepEqual(syntaxErrors('/p/a.js', 'let x: number = 1;\n'), []));
  it('accepts JSX in .tsx and import = require in .cts', () => {
    assert.deepEqual(syntaxErrors('/p/a.tsx', 'export const A = () => <div>{1}</div>;\n'), []);
    assert.deepEqual(syntaxErrors('/p/a.cts', "import fs = require('fs');\n"), []);
  });
});

describe('checkCase against the engine', () => {
  it('passes an invalid case whose finding is listed', () => {
    checkCase('stream-to-socket', { name: 'pipe', code: PIPE_TO_RES, findings: [{ line: 5, column: 3, endLine: 5, endColumn: 22, recommendation: 'sendfile' }] });
  });
  it('fails a valid case that has a finding, and prints it in fixture syntax', () => {
    assert.throws(
      () => checkCase('stream-to-socket', { name: 'pipe', code: PIPE_TO_RES }),
      (err: Error) => err.message.includes("{ line: 5, column: 3, endLine: 5, endColumn: 22, recommendation: 'sendfile' }, // fs.createReadStream"),
    );
  });
  it('fails on a wrong recommendation, a wrong position and a wrong file', () => {
    const base = { line: 5, column: 3, endLine: 5, endColumn: 22, recommendation: 'sendfile' as const };
    for (const wrong of [{ ...base, recommendation: 'mmap' as const }, { ...base, column: 4 }, { ...base, file: 'other.js' }]) {
      assert.throws(() => checkCase('stream-to-socket', { name: 'pipe', code: PIPE_TO_RES, findings: [wrong] }), /findings differ/);
    }
  });
});
