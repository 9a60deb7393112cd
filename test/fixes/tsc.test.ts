/**
 * Every TypeScript fixture's output type-checks (`--strict`, with @types/node and zerocopy's own
 * types) whenever its input did: one program over all of them, in a folder inside the checkout so
 * that node_modules resolves as it would for a user.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import ts from 'typescript';
import { FIX_KINDS } from '../../server/src/fixes/index';
import { applied, layOut, PROJECT_ROOT, runCase, type FixFixture } from './fix-tester';

const TS = /\.[cm]?tsx?$/;
const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  esModuleInterop: true,
  skipLibCheck: true,
  types: ['node'],
  lib: ['lib.es2023.d.ts'],
};

test('the TypeScript outputs of the fix fixtures type-check whenever their inputs did', () => {
  const root = resolve(__dirname, '../../test-tsc-fixes');
  rmSync(root, { recursive: true, force: true });
  const pairs: Array<{ name: string; input: string; output: string }> = [];
  try {
    for (const kind of FIX_KINDS) {
      let fixture: FixFixture;
      try {
        fixture = (require(`./fixtures/${kind}`) as { default: FixFixture }).default;
      } catch {
        continue; // fixes.test.ts reports a missing fixture
      }
      fixture.cases.forEach((c, i) => {
        if (c.output === undefined || !TS.test(c.fileName ?? 'server.js')) return;
        const project = layOut(c);
        const { outcomes } = runCase(c);
        const fix = outcomes.find((o) => o.kind === kind)?.fix;
        if (!fix) return; // fixes.test.ts reports it
        const output = applied(project, fix).output;
        for (const side of ['in', 'out'] as const) {
          const dir = join(root, `${kind}-${i}`, side);
          for (const [file, text] of project.texts) {
            const path = join(dir, posix.relative(PROJECT_ROOT, file));
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(path, file === project.fileName && side === 'out' ? output : text);
          }
        }
        const rel = posix.relative(PROJECT_ROOT, project.fileName);
        pairs.push({ name: `${kind}: ${c.name}`, input: join(root, `${kind}-${i}`, 'in', rel), output: join(root, `${kind}-${i}`, 'out', rel) });
      });
    }
    const program = ts.createProgram({ rootNames: pairs.flatMap((p) => [p.input, p.output]), options: OPTIONS });
    const errorsOf = (file: string): string[] => {
      const sf = program.getSourceFile(file);
      if (!sf) return [`${file} was not loaded`];
      return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => {
        const { line, character } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    };
    const failures: string[] = [];
    let checked = 0;
    for (const p of pairs) {
      if (errorsOf(p.input).length) continue;
      checked++;
      const errors = errorsOf(p.output);
      if (errors.length) failures.push(`${p.name}:\n  ${errors.join('\n  ')}`);
    }
    assert.deepEqual(failures, [], failures.join('\n'));
    // Not vacuous: the inputs were written to type-check.
    assert.ok(checked >= Math.min(pairs.length, 8), `only ${checked} of ${pairs.length} TypeScript inputs type-check; the fixtures should be valid TypeScript`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
