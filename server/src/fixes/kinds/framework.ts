/**
 * framework: the framework's own way of sending a file, where it has one and where it answers as
 * the original did: koa streams a body it is given (kinds/koa.ts); express's `res.sendFile`, with
 * the options that switch off what `res.send` did not do (kinds/expressSendFile.ts); fastify's
 * `reply.send(stream)` of a stream opened and read from first (kinds/fastifyStream.ts).
 */
import ts from 'typescript';
import type { FixContext } from '../context';
import type { Rewrite } from '../rewrite';
import { refuse } from '../refuse';
import { koaStream } from './koa';
import { sendOf } from './sendfile';
import { expressSendFile } from './expressSendFile';
import { fastifyReturnedStream, fastifyStream } from './fastifyStream';

export function frameworkRewrite(ctx: FixContext): Rewrite {
  if (ctx.sink && ts.isBinaryExpression(ctx.sink)) return koaStream(ctx);
  // A read loop writes to the response itself: no framework's own way answers as it does (below).
  if (ctx.finding.holds !== 'whole-file' && ctx.finding.rule !== 'read-loop-to-socket') refuse('the file is already streamed by the framework');
  // A fastify handler returning the bytes: the engine points at the returned value, not a call.
  if (!ctx.sink && ctx.finding.sink.kind === 'framework-body') return fastifyReturnedStream(ctx);
  const send = sendOf(ctx);
  if (send.target.kind === 'http-response' && send.method === 'send') return expressSendFile(ctx, send);
  if (send.target.kind === 'fastify' && send.method === 'send') return fastifyStream(ctx, send);
  return refuse('there is no framework here whose own way of sending a file answers as this code does');
}
