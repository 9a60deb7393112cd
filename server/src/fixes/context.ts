/**
 * Everything a rewrite kind reads: the parsed file, the engine's evaluator over it (what `res`,
 * `fs`, `pipeline` really are), the file's style, and the finding's source call and sink node.
 */
import { Project } from '../engine/project';
import type { FileEvaluator } from '../engine/evaluator';
import type { Finding } from '../engine/types';
import type { FixInput } from './types';
import { detectStyle, type FileStyle } from './style';
import { Imports } from './imports';
import ts from 'typescript';
import { nodesAt, sinkNodeAt, sourceCallAt } from './locate';
import { enclosingFunction, quote } from './ast';
import { refuse } from './refuse';

export interface FixContext {
  input: FixInput;
  finding: Finding;
  sf: ts.SourceFile;
  ev: FileEvaluator;
  style: FileStyle;
  /** The read the finding points at (`fs.readFile(…)`, `createReadStream(…)`). */
  source: ts.CallExpression | ts.NewExpression;
  /** The sink operation (`res.end(data)`, `s.pipe(res)`, `ctx.body = …`), when it is in this file. */
  sink: ts.CallExpression | ts.BinaryExpression | ts.ReturnStatement | undefined;
  /** A fresh import collector for one rewrite. */
  imports(): Imports;
  /** Why there is no sink node to rewrite (in another file, or not a shape the rewrites know). */
  noSink(): string;
}

function packageType(input: FixInput): 'module' | 'commonjs' | undefined {
  if (!input.packageJson) return undefined;
  try {
    const type = (JSON.parse(input.packageJson.text) as { type?: unknown }).type;
    return type === 'module' ? 'module' : 'commonjs';
  } catch {
    return undefined;
  }
}

/**
 * Why a `new Response(bytes)` returned from a handler gets no rewrite: which runtime answers with it
 * (Deno, Bun, a Worker, an adapter on Node) is not in the code, and what another body would do
 * depends on it.
 */
function webResponse(callee: string): string {
  return `the handler returns a new ${callee} whose body is the file's bytes, to whichever runtime serves it (Deno, Bun, a Worker, an adapter on Node), which the code does not name: sendFile cannot reach that runtime's connection, and what another body would do there (a Content-Length or not, a HEAD that reads it or leaves the file open) is that runtime's choice; no rewrite is offered`;
}

export function createContext(input: FixInput): FixContext {
  const { finding } = input;
  if (finding.fileName !== input.fileName) {
    throw new Error(`fixesFor: the finding is in ${finding.fileName}, the text given is ${input.fileName}`);
  }
  const project = input.project ?? new Project({ getText: (f) => (f === input.fileName ? input.text : input.getText?.(f)) });
  const entry = project.evaluator(input.fileName, input.text);
  if (!entry.ev) refuse(`the file is not analysed (${entry.skipped ?? 'skipped'})`);
  const ev = entry.ev;
  const sf = ev.sf;
  const source = sourceCallAt(sf, finding.range);
  if (!source) refuse('the file changed since it was analysed: the read is no longer where the finding says');
  const sinkLocation = finding.sink.location;
  const sink = sinkLocation.fileName === input.fileName ? sinkNodeAt(sf, sinkLocation.range) : undefined;
  const style = detectStyle(sf, packageType(input));
  const noSink = (): string => {
    if (sinkLocation.fileName !== input.fileName) return 'the bytes are sent in another file; the rewrite would have to change both';
    const line = sinkLocation.range.start.line + 1;
    const nodes = nodesAt(sf, sinkLocation.range);
    const made = nodes.find(ts.isNewExpression);
    if (made) return webResponse(quote(sf, made.expression));
    const value = nodes.find((n) => !!n.parent && ((ts.isReturnStatement(n.parent) && n.parent.expression === n) || (ts.isArrowFunction(n.parent) && n.parent.body === n)));
    if (!value) return `the bytes are handed over at line ${line} in a way the rewrites do not know`;
    const reply = enclosingFunction(value)?.parameters[1]?.name;
    const fastify = !!reply && ts.isIdentifier(reply) && ev.eval(reply).some((v) => v.t === 'sink' && v.sink.cls === 'fastify-reply');
    return fastify
      ? `the handler returns the bytes (line ${line}) to fastify, which sends them itself; sendFile cannot take its place, fastify's own stream reply can where the read is awaited`
      : `the handler returns the bytes (line ${line}) to a framework that sends them itself; no rewrite is offered for it`;
  };
  return { input, finding, sf, ev, style, source, sink, imports: () => new Imports(sf, style, ev.scopes), noSink };
}
