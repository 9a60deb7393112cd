/**
 * framework: the framework's own way of sending a file, where it has one and where it answers as
 * the original did: koa streams a body it is given (kinds/koa.ts). express's `res.sendFile` adds
 * its own caching headers and conditional answers (ETag, Last-Modified, 304, ranges) and fastify's
 * stream replies differ in their error path, so neither is offered.
 */
import ts from 'typescript';
import type { FixContext } from '../context';
import type { Rewrite } from '../rewrite';
import { refuse } from '../refuse';
import { koaStream } from './koa';
import { sendOf } from './sendfile';

export function frameworkRewrite(ctx: FixContext): Rewrite {
  if (ctx.sink && ts.isBinaryExpression(ctx.sink)) return koaStream(ctx);
  if (ctx.finding.holds !== 'whole-file') refuse('the file is already streamed by the framework');
  const send = sendOf(ctx);
  if (send.target.kind === 'http-response' && send.method === 'send') {
    refuse("express's `res.sendFile` would add its own ETag, Last-Modified and Cache-Control, answer 304 and ranges itself, and name a directory's error differently");
  }
  return refuse('there is no framework here whose own way of sending a file answers as this code does');
}
