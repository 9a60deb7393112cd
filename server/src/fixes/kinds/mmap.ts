/**
 * mmap: a whole read whose bytes the code also reads (a hash for an ETag, a magic number) becomes
 * zerocopy's mapFile: the same Buffer, over a private copy-on-write mapping of the file instead of
 * a copy in the heap. Everything after the read keeps working on the Buffer unchanged.
 *
 * - `await fsp.readFile(p)` / `fsp.readFile(p).then(…)` -> `mapFileAsync(p)`: off the event loop,
 *   rejecting where readFile rejects with the same code, errno and path;
 * - `fs.readFile(p, (err, data) => …)` -> `callbackify(mapFileAsync)(p, (err, data) => …)`: the
 *   callback stays a callback, called on a later tick as fs calls it;
 * - `fs.readFileSync(p)` -> `mapFile(p)`, which throws the same codes.
 * An empty file gives an empty Buffer, as readFile does. A read that decodes text gets no fix:
 * mapFile gives bytes.
 */
import ts from 'typescript';
import { skipOuter } from '../../engine/scope';
import type { FixContext } from '../context';
import type { Rewrite } from '../rewrite';
import { fsFunction, readEncoding } from '../wholeRead';
import { refuse } from '../refuse';
import { nodeModule } from '../style';
import { quote } from '../ast';

export const MMAP_TITLE = "Map the file with zerocopy's mapFile() (the same Buffer, without copying the file into the heap)";

export function mmapRewrite(ctx: FixContext): Rewrite {
  if (ctx.finding.holds !== 'whole-file') refuse('the file is not read whole');
  const call = ctx.source;
  if (!ts.isCallExpression(call)) refuse('the read is a `new` expression');
  const fn = fsFunction(ctx, call.expression);
  if (!fn || (fn.name !== 'readFile' && fn.name !== 'readFileSync')) refuse(`${quote(ctx.sf, call.expression)} is not \`readFile\` or \`readFileSync\``);
  if (fn.flavor === 'handle') refuse('the file is read through a FileHandle, whose position the read depends on');
  const args = call.arguments;
  if (!args[0] || args.some((a) => ts.isSpreadElement(a))) refuse('the read is not given a path');
  const last = args[args.length - 1]!;
  const callback = fn.name === 'readFile' && fn.flavor === 'cb' && args.length >= 2 && (ts.isArrowFunction(skipOuter(last)) || ts.isFunctionExpression(skipOuter(last)) || ts.isIdentifier(skipOuter(last))) && !isAwaitedOrThen(call) ? last : undefined;
  const options = callback ? (args.length === 3 ? args[1] : undefined) : args[1];
  if (args.length > (callback ? 3 : 2)) refuse('the read takes more arguments than a path, options and a callback');
  const encoding = readEncoding(ctx, options);
  if (encoding !== undefined) refuse(`the code works on the text the read decodes (${encoding}); mapFile gives the bytes`);
  const imports = ctx.imports();
  const path = args[0].getText(ctx.sf);
  let text: string;
  if (fn.name === 'readFileSync') {
    text = `${imports.named('zerocopy', 'mapFile')}(${path})`;
  } else if (callback) {
    const callbackify = imports.named(nodeModule(ctx.style, 'util'), 'callbackify');
    text = `${callbackify}(${imports.named('zerocopy', 'mapFileAsync')})(${path}, ${callback.getText(ctx.sf)})`;
  } else {
    text = `${imports.named('zerocopy', 'mapFileAsync')}(${path})`;
  }
  return { kind: 'mmap', title: MMAP_TITLE, edits: [{ start: call.getStart(ctx.sf), end: call.getEnd(), newText: text }], imports };
}

function isAwaitedOrThen(call: ts.CallExpression): boolean {
  let p: ts.Node = call.parent;
  while (ts.isParenthesizedExpression(p)) p = p.parent;
  return ts.isAwaitExpression(p) || (ts.isPropertyAccessExpression(p) && (p.name.text === 'then' || p.name.text === 'catch'));
}
